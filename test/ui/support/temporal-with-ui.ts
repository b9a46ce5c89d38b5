/**
 * A Temporal dev server of this file's own, with its web UI on: global setup's shared server is
 * headless. Both ports are free loopback ports; `stop()` ends only this child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { freePort } from '../../../scripts/lib/ports';
import { temporalDevServerArgs } from '../../../scripts/lib/temporal-dev-server';

export interface TemporalWithUi {
  address: string;
  uiUrl: string;
  /** What the server printed, for diagnostics when a test fails. */
  output(): string;
  stop(): Promise<void>;
}

export async function startTemporalWithUi(binary: string): Promise<TemporalWithUi> {
  const [port, uiPort, httpPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child: ChildProcess = spawn(
    binary,
    temporalDevServerArgs({ port, uiPort, httpPort, metricsPort }),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server: TemporalWithUi = {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  try {
    await until('the Temporal frontend', 60_000, child, () => frontendAnswers(server.address));
    await until('the Temporal UI', 60_000, child, async () => (await fetch(server.uiUrl)).ok);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nTemporal output:\n${output.slice(-3000)}`, {
      cause: error,
    });
  }
  return server;
}

async function frontendAnswers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.withDeadline(Date.now() + 1000, () =>
      connection.workflowService.getSystemInfo({}),
    );
    return true;
  } finally {
    await connection.close();
  }
}

async function until(
  what: string,
  timeoutMs: number,
  child: ChildProcess,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal exited with ${child.exitCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s.`);
}
