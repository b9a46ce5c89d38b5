/**
 * The stack under test. By default the benchmark starts its own: Temporal dev server, FerretDB
 * (or mongod / MONGODB_URI, as `npm start` chooses), stripe-mock, maildev, the worker and the API,
 * all on free loopback ports with their data and logs in a temp dir. With BENCH_API_URL it uses a
 * running stack instead (BENCH_MONGODB_URI, BENCH_WEBHOOK_SECRET, BENCH_ADMIN_TOKEN,
 * BENCH_API_PID and BENCH_WORKER_PID tell it the rest).
 * The floor and the peer servers always start here, on their own free ports.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from '../src/config/settings';
import { NODE_BIN, ROOT } from '../scripts/lib/paths';
import { freePort, waitForPort } from '../scripts/lib/ports';
import type { ManagedProcess } from '../scripts/lib/processes';
import { Supervisor } from '../scripts/lib/supervisor';
import { ensureStripeMock, ensureTemporal } from '../scripts/tools/go-tools';
import { chooseMongo, mongoServerArgs, type MongoChoice } from '../scripts/tools/mongo';
import { SEARCH_ATTRIBUTE_CLI_ARGS } from '../workflows/definitions';

export interface Stack {
  apiUrl: string;
  floorUrl: string;
  peerUrl: string;
  mongoUri: string;
  secret: string;
  adminToken: string;
  /** Group leaders of the API and worker (tsx); RSS is read from their largest descendant. */
  apiPid?: number;
  workerPid?: number;
  /** Every stack process this run started, by name, for CPU accounting (own stack only). */
  pids: Record<string, number | undefined>;
  temporalBin?: string;
  /** host:port of the Temporal frontend, to read histories after the run (own stack only). */
  temporalAddress?: string;
  mongo?: MongoChoice;
  logsDir: string;
  stop(): Promise<void>;
}

const tsx = join(NODE_BIN, 'tsx');

/**
 * The dev server's SQLite file otherwise uses a rollback journal with a full sync per commit,
 * and readers wait on the writer; every signal, task and activity is several commits. WAL with
 * `synchronous=normal` is what a local store needs (see scripts/tools/mongo.ts for the same
 * trade-off). Set BENCH_TEMPORAL_PRAGMAS=0 to measure the dev server's defaults.
 */
const TEMPORAL_SQLITE_PRAGMAS =
  process.env.BENCH_TEMPORAL_PRAGMAS === '0' ? [] : ['journal_mode=wal', 'synchronous=normal'];

/**
 * Server settings a production cluster would also choose for this load: eager activity
 * execution hands the projectState task back in the workflow task's completion, which saves the
 * activity's trip through matching (a poll and a schedule-to-start wait per event), and one
 * task-queue partition avoids tasks waiting in a partition that no poller is on at low rates.
 * Set BENCH_TEMPORAL_TUNING=0 to measure the dev server's defaults.
 */
const TEMPORAL_DYNAMIC_CONFIG =
  process.env.BENCH_TEMPORAL_TUNING === '0'
    ? []
    : [
        'system.enableActivityEagerExecution=true',
        'matching.numTaskqueueReadPartitions=1',
        'matching.numTaskqueueWritePartitions=1',
      ];

export async function startStack(log: (line: string) => void): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'citrus-bench-'));
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir);
  const supervisor = new Supervisor(join(dir, 'bench.pids'));
  const run = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) =>
    supervisor.start({
      name,
      command,
      args,
      env,
      cwd: ROOT,
      output: { file: join(logsDir, `${name}.log`) },
    });
  const ready = (child: ManagedProcess, port: number) =>
    waitForPort({
      name: child.name,
      port,
      timeoutMs: 120_000,
      failed: () => child.unexpectedExit(),
    });
  const stop = async () => {
    await supervisor.stopAll({ graceMs: 5000 });
    if (!process.env.BENCH_KEEP_DATA) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const secret = process.env.BENCH_WEBHOOK_SECRET ?? LOCAL_DEV_WEBHOOK_SECRET;
    const adminToken = process.env.BENCH_ADMIN_TOKEN ?? LOCAL_DEV_ADMIN_TOKEN;
    const external = process.env.BENCH_API_URL;
    let stack: Omit<Stack, 'floorUrl' | 'peerUrl' | 'stop'>;
    if (external) {
      const mongoUri = process.env.BENCH_MONGODB_URI;
      if (!mongoUri)
        throw new Error("BENCH_API_URL needs BENCH_MONGODB_URI (the stack's MongoDB).");
      stack = {
        apiUrl: external.replace(/\/$/, ''),
        mongoUri,
        secret,
        adminToken,
        apiPid: optionalPid('BENCH_API_PID'),
        workerPid: optionalPid('BENCH_WORKER_PID'),
        pids: {},
        logsDir,
      };
    } else {
      stack = await startOwnStack({ dir, logsDir, run, ready, secret, adminToken, log });
    }
    const floorPort = await freePort();
    const peerPort = await freePort();
    const peerUri = stack.mongoUri.replace(/\/([^/?]*)(\?|$)/, '/citrus_bench_peer$2');
    const serverEnv = { ...process.env, STRIPE_WEBHOOK_SECRET: secret };
    const floor = run('floor', tsx, [join('bench', 'floor-server.ts')], {
      ...serverEnv,
      PORT: String(floorPort),
    });
    const peer = run('peer', tsx, [join('bench', 'peer-server.ts')], {
      ...serverEnv,
      PORT: String(peerPort),
      MONGODB_URI: peerUri,
    });
    await Promise.all([ready(floor, floorPort), ready(peer, peerPort)]);
    return {
      ...stack,
      floorUrl: `http://127.0.0.1:${floorPort}`,
      peerUrl: `http://127.0.0.1:${peerPort}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function optionalPid(name: string): number | undefined {
  const value = process.env[name];
  return value ? Number(value) : undefined;
}

interface OwnStackOptions {
  dir: string;
  logsDir: string;
  run: (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => ManagedProcess;
  ready: (child: ManagedProcess, port: number) => Promise<void>;
  secret: string;
  adminToken: string;
  log: (line: string) => void;
}

async function startOwnStack(
  o: OwnStackOptions,
): Promise<Omit<Stack, 'floorUrl' | 'peerUrl' | 'stop'>> {
  const temporalBin = await ensureTemporal();
  const stripeMockBin = await ensureStripeMock();
  const mongo = await chooseMongo();
  const temporalPort = await freePort();
  const mongoPort = await freePort();
  const stripePort = await freePort();
  const stripeHttpsPort = await freePort();
  const smtpPort = await freePort();
  const mailUiPort = await freePort();
  const apiPort = await freePort();
  const workerMetricsPort = await freePort();
  const mongoUri =
    mongo.kind === 'external' ? mongo.uri : `mongodb://127.0.0.1:${mongoPort}/citrus_bench`;
  o.log(`starting the stack in ${o.dir} (Temporal :${temporalPort}, ${mongo.kind} :${mongoPort})`);

  const temporal = o.run('temporal', temporalBin, [
    'server',
    'start-dev',
    '--headless',
    '--db-filename',
    join(o.dir, 'temporal.db'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(temporalPort),
    '--log-level',
    'warn',
    ...TEMPORAL_SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...TEMPORAL_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    ...SEARCH_ATTRIBUTE_CLI_ARGS,
  ]);
  const mongoDir = join(o.dir, 'mongo');
  mkdirSync(mongoDir);
  const mongoProcess =
    mongo.kind === 'external'
      ? undefined
      : o.run(mongo.kind, mongo.bin, mongoServerArgs(mongo, mongoPort, mongoDir));
  const stripeMock = o.run('stripe-mock', stripeMockBin, [
    '-http-addr',
    `127.0.0.1:${stripePort}`,
    '-https-addr',
    `127.0.0.1:${stripeHttpsPort}`,
  ]);
  const maildev = o.run('maildev', join(NODE_BIN, 'maildev'), [
    '--smtp',
    String(smtpPort),
    '--ip',
    '127.0.0.1',
    '--web',
    String(mailUiPort),
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    join(o.dir, 'mail'),
  ]);
  await Promise.all([
    o.ready(temporal, temporalPort),
    mongoProcess ? o.ready(mongoProcess, mongoPort) : Promise.resolve(),
    o.ready(stripeMock, stripePort),
    o.ready(maildev, smtpPort),
  ]);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    PORT: String(apiPort),
    STRIPE_WEBHOOK_SECRET: o.secret,
    ADMIN_API_TOKEN: o.adminToken,
    STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    WORKER_METRICS_PORT: String(workerMetricsPort),
  };
  const worker = o.run('worker', tsx, [join('src', 'worker', 'main.ts')], env);
  const api = o.run('api', tsx, [join('src', 'api', 'main.ts')], env);
  await Promise.all([o.ready(api, apiPort), o.ready(worker, workerMetricsPort)]);
  // A stack process that dies mid-run would make every later figure meaningless.
  for (const child of [temporal, mongoProcess, stripeMock, maildev, worker, api]) {
    child?.onUnexpectedExit((error) => {
      process.stderr.write(`[bench] ${error.message} (logs: ${o.logsDir})\n`);
      process.kill(process.pid, 'SIGTERM');
    });
  }
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    mongoUri,
    secret: o.secret,
    adminToken: o.adminToken,
    apiPid: api.pid,
    workerPid: worker.pid,
    pids: {
      temporal: temporal.pid,
      [mongo.kind]: mongoProcess?.pid,
      worker: worker.pid,
      api: api.pid,
      'stripe-mock': stripeMock.pid,
      maildev: maildev.pid,
    },
    temporalBin,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    mongo,
    logsDir: o.logsDir,
  };
}
