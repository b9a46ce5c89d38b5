/**
 * Entry point of the API process: `tsx src/api/main.ts`. Wires the real Temporal client, the
 * MongoDB read model, metrics and readiness into the app, and shuts down cleanly on SIGTERM/SIGINT.
 */
import type { Server } from 'node:http';
import type { Connection as MongoConnection } from 'mongoose';
import { ConfigError, loadConfig } from '../config';
import { connectMongo } from '../db/connection';
import { createReadModel } from '../db/read-model';
import { createTemporalSignaler } from '../ingest/signal';
import { createLogger } from '../logging/logger';
import { createTemporalClient } from '../temporal/connection';
import { createApp } from './app';
import { createApiMetrics } from './metrics';
import { lazyReadModel } from './read/lazy-read-model';
import { createTemporalReadiness } from './readiness';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  const { connection, client } = createTemporalClient(config.temporal);
  const metrics = createApiMetrics({ processMetrics: true });
  const readiness = createTemporalReadiness({ connection, logger });

  let mongo: MongoConnection | undefined;
  const readModel = lazyReadModel(async () => {
    mongo = await connectMongo(config.mongodbUri, {
      serverSelectionTimeoutMs: 3000,
    });
    return createReadModel(mongo);
  });
  const signaler = createTemporalSignaler({
    client,
    taskQueue: config.temporal.taskQueue,
    rpcTimeoutMs: config.temporal.rpcTimeoutMs,
  });

  const app = createApp({
    config,
    signaler,
    readModel,
    logger,
    metrics,
    readiness,
  });
  await readiness.start();
  const server: Server = app.listen(config.port, () => {
    logger.info({ port: config.port, ready: readiness.isReady() }, 'api listening');
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    readiness.stop();
    // In-flight deliveries finish (each is bounded by the RPC deadline) before connections close.
    server.close(() => {
      // The Temporal channel is left to process exit: a delivery answered 503 by its timer may
      // still have an RPC pending, and closing the channel under it throws from grpc-js.
      void Promise.allSettled([mongo?.close()]).then(() => {
        logger.flush();
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `The API could not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  process.exit(1);
});
