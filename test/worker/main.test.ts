/**
 * Smoke test of the worker process: it starts against a real Temporal dev server, logs its fixed
 * start-up line, and exits 0 on SIGTERM after draining. It runs a dev server of its own, because
 * the worker registers the reconciliation Schedule, which must not touch the shared server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { WORKER_STARTED_MESSAGE } from '../../src/worker/main';
import { testStack, uniqueMongoUri } from '../support/stack-env';
import { temporalDevServerArgs } from '../../scripts/lib/temporal-dev-server';

const ROOT = join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves with the output so far once `pattern` appears, or rejects after the timeout. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`No ${pattern} within ${timeoutMs} ms; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the worker process', () => {
  let temporal: ChildProcess;
  let temporalAddress: string;

  beforeAll(async () => {
    const port = await freePort();
    temporalAddress = `127.0.0.1:${port}`;
    temporal = spawn(
      testStack().temporalBin,
      temporalDevServerArgs({
        port,
        httpPort: await freePort(),
        metricsPort: await freePort(),
      }),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForOutput(temporal, /Server:\s+\S+:\d+/, 30_000);
  }, 40_000);

  afterAll(async () => {
    if (temporal.exitCode === null) {
      const exited = exitOf(temporal);
      temporal.kill('SIGTERM');
      await exited;
    }
  });

  it('logs its start-up line, serves /healthz and /metrics, then drains and exits 0 on SIGTERM', async () => {
    const stack = testStack();
    const metricsPort = await freePort();
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: `worker-smoke-${Date.now()}`,
        MONGODB_URI: uniqueMongoUri('worker_smoke'),
        STRIPE_API_BASE: stack.stripeApiBase,
        STRIPE_SECRET_KEY: '',
        SMTP_URL: stack.smtpUrl,
        ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
        STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
        WORKER_METRICS_PORT: String(metricsPort),
      },
    });
    const exited = exitOf(worker);

    const started = waitForOutput(worker, new RegExp(`"msg":"${WORKER_STARTED_MESSAGE}"`), 90_000);
    const running = waitForOutput(worker, /"state":"RUNNING"/, 90_000);
    const stopped = waitForOutput(worker, /"msg":"worker stopped"/, 120_000);
    await Promise.all([started, running]);
    const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('citrus_reconcile_events_listed_total');
    expect(metrics).toContain('process_cpu_seconds_total');
    worker.kill('SIGTERM');

    await stopped;
    expect(await exited).toBe(0);
  }, 130_000);
});
