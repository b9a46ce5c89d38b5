/**
 * The Temporal dev server for the webhook's integration tests: the suite's shared one when Jest's
 * global setup started it, otherwise one of our own on free loopback ports (so the file also runs
 * alone with a plain jest config).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { STACK_ENV } from '../../support/stack-env';
import { temporalDevServerArgs } from '../../../scripts/lib/temporal-dev-server';

export interface TemporalForTests {
  address: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function temporalForTests(): Promise<TemporalForTests> {
  const shared = process.env[STACK_ENV.temporalAddress];
  if (shared) return { address: shared, stop: async () => undefined };

  const binary =
    process.env[STACK_ENV.temporalBin] ?? join(__dirname, '../../../.tools/bin/temporal');
  if (!existsSync(binary)) {
    throw new Error(`No Temporal CLI at ${binary}: run npm test once so it is built.`);
  }
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    binary,
    temporalDevServerArgs({ port, httpPort, metricsPort }),
    { stdio: 'ignore' },
  );
  const address = `127.0.0.1:${port}`;
  await waitForFrontend(address, child);
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitForFrontend(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal exited with ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.withDeadline(Date.now() + 1000, () =>
        connection.workflowService.getSystemInfo({}),
      );
      await connection.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`The Temporal dev server at ${address} did not answer within 30 s.`);
}
