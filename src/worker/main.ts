/**
 * The worker process: polls the task queue and runs the customer and reconciliation workflows and
 * their activities. Start it with `tsx src/worker/main.ts`; it stops cleanly on SIGINT/SIGTERM
 * (running activities get `shutdownGraceTime` to finish), then closes its connections.
 */
import { Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createReconcileActivities } from '../../activities/reconcile';
import { ConfigError, loadConfig, type Config } from '../config';
import { connectMongo } from '../db/connection';
import { createModels, ensureIndexes } from '../db/models';
import { createTemporalSignaler } from '../ingest/signal';
import { createLogger, type Logger } from '../logging/logger';
import { createMailer } from '../mail/mailer';
import { createReconcileMetrics } from '../reconcile/metrics';
import { ensureReconcileSchedule } from '../reconcile/schedule';
import { createStripeClient } from '../stripe/client';
import { connectTemporal } from '../temporal/connection';
import { createWorkerRegistry, startMetricsServer } from './metrics-server';
import { connectNativeTemporal } from './native-connection';
import { WORKER_TUNING } from './options';
import { prepareWorkflowBundle, type WorkflowBundle } from './workflow-bundle';
import { toSdkLogger } from './sdk-logger';

/** The fixed start-up message; the smoke test and operators wait for it. */
export const WORKER_STARTED_MESSAGE = 'worker started';

async function main(config: Config, logger: Logger): Promise<void> {
  Runtime.install({ logger: toSdkLogger(logger), shutdownSignals: ['SIGINT', 'SIGTERM'] });

  const db = await connectMongo(config.mongodbUri);
  const models = createModels(db);
  await ensureIndexes(models);
  const stripe = createStripeClient(config);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const temporal = await connectTemporal(config.temporal);
  const connection = await connectNativeTemporal(config.temporal);
  const registry = createWorkerRegistry();
  let worker: Worker | undefined;
  let bundle: WorkflowBundle | undefined;
  const metricsServer = await startMetricsServer({
    registry,
    port: config.workerMetricsPort,
    isHealthy: () => worker?.getState() === 'RUNNING',
    logger,
  });

  try {
    const signaler = createTemporalSignaler({
      client: temporal.client,
      taskQueue: config.temporal.taskQueue,
      rpcTimeoutMs: config.temporal.rpcTimeoutMs,
    });
    const activities = {
      ...createActivities({ models, stripe, mailer, logger, config }),
      ...createReconcileActivities({
        stripe,
        db,
        signaler,
        logger,
        config,
        metrics: createReconcileMetrics(registry),
      }),
    };
    await ensureReconcileSchedule(temporal.client, config, { logger });

    bundle = await prepareWorkflowBundle(config.workflowBundlePath);
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: { codePath: bundle.codePath },
      activities,
      ...WORKER_TUNING,
    });
    logger.info(
      {
        taskQueue: config.temporal.taskQueue,
        namespace: config.temporal.namespace,
        maxConcurrentWorkflowTaskExecutions: WORKER_TUNING.maxConcurrentWorkflowTaskExecutions,
        maxConcurrentActivityTaskExecutions: WORKER_TUNING.maxConcurrentActivityTaskExecutions,
        maxCachedWorkflows: WORKER_TUNING.maxCachedWorkflows,
      },
      WORKER_STARTED_MESSAGE,
    );
    // Resolves once a shutdown signal has drained the worker.
    await worker.run();
  } finally {
    await bundle?.dispose();
    await metricsServer.close();
    mailer.close();
    await connection.close();
    await temporal.connection.close();
    await db.close();
  }
  logger.info({}, 'worker stopped');
}

function start(): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    const logger = createLogger({ name: 'worker' });
    const problems = error instanceof ConfigError ? error.problems : [String(error)];
    logger.fatal({ problems }, 'worker configuration is invalid');
    logger.flush();
    process.exitCode = 1;
    return;
  }
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  main(config, logger).then(
    () => {
      logger.flush();
      process.exitCode = 0;
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'worker failed');
      logger.flush();
      process.exitCode = 1;
    },
  );
}

if (require.main === module) start();
