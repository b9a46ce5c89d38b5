/**
 * The real stack the history recorder drives: a Temporal dev server, a MongoDB-wire server,
 * stripe-mock, maildev, the worker and the API, each a child process on a free port with its output
 * in a log file of a temporary folder. Dunning runs in seconds so a whole lifecycle fits in a run.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config/settings';
import { NODE_BIN, ROOT } from '../lib/paths';
import { freePort, waitForPort } from '../lib/ports';
import type { ManagedProcess, StartOptions } from '../lib/processes';
import { Supervisor } from '../lib/supervisor';
import { ensureStripeMock, ensureTemporal } from '../tools/go-tools';
import { chooseMongo, mongoServerArgs } from '../tools/mongo';
import { temporalDevServerArgs } from '../lib/temporal-dev-server';

/**
 * Dunning of the recordings: notice at once, reminders at 2 s and 4 s, suspension at 6 s,
 * cancellation at 10 s after the first failure.
 */
export const RECORDING_DUNNING = {
  DUNNING_REMINDERS: '2 seconds,4 seconds',
  DUNNING_GRACE: '6 seconds',
  DUNNING_CANCEL: '10 seconds',
} as const;

export interface RecordingStack {
  temporalAddress: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Restarts the worker with extra settings (e.g. a small WORKFLOW_MAX_EVENTS_PER_RUN). */
  restartWorker(extraEnv: Record<string, string>): Promise<void>;
  logDir: string;
  stop(): Promise<void>;
}

export async function startRecordingStack(say: (line: string) => void): Promise<RecordingStack> {
  const logDir = mkdtempSync(join(tmpdir(), 'citrus-histories-'));
  const supervisor = new Supervisor(join(logDir, 'servers.pids'));
  try {
    return await startAll(supervisor, logDir, say);
  } catch (error) {
    await supervisor.stopAll({ graceMs: 3000, parallel: true });
    throw error;
  }
}

async function startAll(
  supervisor: Supervisor,
  logDir: string,
  say: (line: string) => void,
): Promise<RecordingStack> {
  const [temporalBin, stripeMockBin, mongo] = await Promise.all([
    ensureTemporal(),
    ensureStripeMock(),
    chooseMongo({}),
  ]);
  const start = (options: Omit<StartOptions, 'output' | 'cwd'>): ManagedProcess =>
    supervisor.start({
      ...options,
      cwd: ROOT,
      output: { file: join(logDir, `${options.name}.log`) },
    });
  const ready = (child: ManagedProcess, port: number): Promise<void> =>
    waitForPort({
      name: child.name,
      port,
      timeoutMs: 120_000,
      failed: () => child.unexpectedExit(),
    });

  const temporalPort = await freePort();
  const temporal = start({
    name: 'temporal',
    command: temporalBin,
    args: temporalDevServerArgs({
      port: temporalPort,
      httpPort: await freePort(),
      metricsPort: await freePort(),
    }),
  });
  const mongoPort = await freePort();
  if (mongo.kind === 'external') throw new Error('unreachable: chooseMongo was given no env');
  const dataDir = join(logDir, 'mongo');
  mkdirSync(dataDir);
  const mongoServer = start({
    name: mongo.kind,
    command: mongo.bin,
    args: mongoServerArgs(mongo, mongoPort, dataDir),
  });
  const stripePort = await freePort();
  const stripeMock = start({
    name: 'stripe-mock',
    command: stripeMockBin,
    args: ['-http-addr', `127.0.0.1:${stripePort}`, '-https-addr', `127.0.0.1:${await freePort()}`],
  });
  const smtpPort = await freePort();
  const maildev = start({
    name: 'maildev',
    command: join(NODE_BIN, 'maildev'),
    args: ['--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(await freePort())],
  });
  await Promise.all([
    ready(temporal, temporalPort),
    ready(mongoServer, mongoPort),
    ready(stripeMock, stripePort),
    ready(maildev, smtpPort),
  ]);
  say(`servers up (logs in ${logDir})`);

  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
    STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
    ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
    STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MONGODB_URI: `mongodb://127.0.0.1:${mongoPort}/citrus_histories`,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    WORKER_METRICS_PORT: String(await freePort()),
    ...RECORDING_DUNNING,
  };
  const tsx = join(NODE_BIN, 'tsx');
  let workerCount = 0;
  const startWorker = async (extraEnv: Record<string, string>): Promise<ManagedProcess> => {
    workerCount += 1;
    const workerEnv = { ...env, ...extraEnv };
    const worker = start({
      name: `worker-${workerCount}`,
      command: tsx,
      args: [join('src', 'worker', 'main.ts')],
      env: workerEnv,
    });
    await ready(worker, Number(workerEnv.WORKER_METRICS_PORT));
    return worker;
  };
  let worker = await startWorker({});
  const api = start({ name: 'api', command: tsx, args: [join('src', 'api', 'main.ts')], env });
  await ready(api, apiPort);
  say('worker and API up');

  return {
    temporalAddress: env.TEMPORAL_ADDRESS as string,
    webhookUrl: `http://127.0.0.1:${apiPort}/api/subscription/webhook`,
    webhookSecret: LOCAL_DEV_WEBHOOK_SECRET,
    logDir,
    async restartWorker(extraEnv) {
      await worker.stop();
      worker = await startWorker(extraEnv);
    },
    stop: () => supervisor.stopAll({ graceMs: 5000 }),
  };
}
