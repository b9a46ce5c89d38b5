/**
 * `npm start`: the whole local stack in the foreground. Temporal (dev server with its UI and a
 * SQLite file), a MongoDB-wire server, stripe-mock and maildev start first; the worker and the API
 * follow once their dependencies accept connections. Ctrl-C stops everything, newest first.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, type Setting } from '../src/config/settings';
import { localEnv, LOCAL_PORTS } from './lib/local-env';
import { DATA_DIR, NODE_BIN, ROOT } from './lib/paths';
import { isPortFree, waitForHttpOk, waitForPort } from './lib/ports';
import type { ManagedProcess, StartOptions } from './lib/processes';
import { Supervisor } from './lib/supervisor';
import { ensureStripeMock, ensureTemporal } from './tools/go-tools';
import { chooseMongo, mongoServerArgs } from './tools/mongo';
import { temporalDevServerArgs } from './lib/temporal-dev-server';

class PortTakenError extends Error {
  constructor(what: string, port: number) {
    super(
      `Port ${port} (${what}) is already in use. Stop whatever listens there ` +
        `(\`lsof -i :${port}\` or \`ss -ltnp | grep ${port}\`), or a previous npm start, and try again.`,
    );
    this.name = 'PortTakenError';
  }
}

/** Set once children may exist; every exit path goes through `shutdown`. */
let stopStack: (() => Promise<void>) | undefined;
let shuttingDown = false;

async function shutdown(reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (stopStack) {
    say(`${reason}; stopping every process ...`);
    await stopStack();
    say('stopped.');
  } else {
    process.stderr.write(`\n${reason}\n`);
  }
  process.exit(code);
}

const PREFIX_WIDTH = 'stripe-mock'.length;
const tsx = join(NODE_BIN, 'tsx');

function say(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const temporalBin = await ensureTemporal();
  const stripeMockBin = await ensureStripeMock();
  const mongo = await chooseMongo();
  const mongoUri =
    mongo.kind === 'external' ? mongo.uri : `mongodb://127.0.0.1:${LOCAL_PORTS.mongo}/citrus`;
  const { env, filled } = localEnv(process.env, mongoUri);
  const apiPort = Number(env.PORT);
  const workerMetricsPort = Number(
    env.WORKER_METRICS_PORT || settingDefault('WORKER_METRICS_PORT'),
  );

  const ports: Array<[string, number]> = [
    ['Temporal frontend', LOCAL_PORTS.temporal],
    ['Temporal UI', LOCAL_PORTS.temporalUi],
    ['stripe-mock', LOCAL_PORTS.stripeMock],
    ['stripe-mock HTTPS', LOCAL_PORTS.stripeMock + 1],
    ['maildev SMTP', LOCAL_PORTS.smtp],
    ['maildev web UI', LOCAL_PORTS.mailUi],
    ['API', apiPort],
    ['worker metrics', workerMetricsPort],
  ];
  if (mongo.kind !== 'external') ports.push([mongo.kind, LOCAL_PORTS.mongo]);
  for (const [what, port] of ports) {
    if (!(await isPortFree(port))) throw new PortTakenError(what, port);
  }

  mkdirSync(join(DATA_DIR, 'mongo'), { recursive: true });
  const supervisor = new Supervisor(join(DATA_DIR, 'npm-start.pids'));
  stopStack = () => supervisor.stopAll();

  const run = (options: Omit<StartOptions, 'output' | 'prefixWidth' | 'cwd'>): ManagedProcess => {
    const child = supervisor.start({
      ...options,
      cwd: ROOT,
      output: 'prefix',
      prefixWidth: PREFIX_WIDTH,
    });
    child.onUnexpectedExit((error) => void shutdown(error.message, 1));
    return child;
  };
  const ready = (child: ManagedProcess, port: number, timeoutMs = 120_000) =>
    waitForPort({ name: child.name, port, timeoutMs, failed: () => child.unexpectedExit() });

  const temporal = run({
    name: 'temporal',
    command: temporalBin,
    args: temporalDevServerArgs({
      port: LOCAL_PORTS.temporal,
      uiPort: LOCAL_PORTS.temporalUi,
      dbFile: join(DATA_DIR, 'temporal.db'),
      logLevel: 'warn',
    }),
  });
  const mongoProcess =
    mongo.kind === 'external'
      ? undefined
      : run({
          name: mongo.kind,
          command: mongo.bin,
          args: mongoServerArgs(mongo, LOCAL_PORTS.mongo, join(DATA_DIR, 'mongo')),
        });
  const stripeMock = run({
    name: 'stripe-mock',
    command: stripeMockBin,
    args: [
      '-http-addr',
      `127.0.0.1:${LOCAL_PORTS.stripeMock}`,
      '-https-addr',
      `127.0.0.1:${LOCAL_PORTS.stripeMock + 1}`,
    ],
  });
  const maildev = run({
    name: 'maildev',
    command: join(NODE_BIN, 'maildev'),
    args: [
      '--smtp',
      String(LOCAL_PORTS.smtp),
      '--ip',
      '127.0.0.1',
      '--web',
      String(LOCAL_PORTS.mailUi),
      '--web-ip',
      '127.0.0.1',
      '--mail-directory',
      join(DATA_DIR, 'mail'),
    ],
  });

  await Promise.all([
    ready(temporal, LOCAL_PORTS.temporal),
    ready(temporal, LOCAL_PORTS.temporalUi),
    mongoProcess ? ready(mongoProcess, LOCAL_PORTS.mongo) : Promise.resolve(),
    ready(stripeMock, LOCAL_PORTS.stripeMock),
    ready(maildev, LOCAL_PORTS.smtp),
    ready(maildev, LOCAL_PORTS.mailUi),
  ]);

  const worker = run({
    name: 'worker',
    command: tsx,
    args: [join('src', 'worker', 'main.ts')],
    env,
  });
  const api = run({ name: 'api', command: tsx, args: [join('src', 'api', 'main.ts')], env });
  // The banner promises a working stack: events sent after it are applied at once, not after
  // the worker has finished bundling the workflows.
  await Promise.all([
    ready(api, apiPort),
    waitForHttpOk({
      name: 'worker',
      url: `http://127.0.0.1:${workerMetricsPort}/healthz`,
      failed: () => worker.unexpectedExit(),
    }),
  ]);

  printBanner(apiPort, workerMetricsPort, mongoUri, filled, Date.now() - started);
}

function printBanner(
  apiPort: number,
  workerMetricsPort: number,
  mongoUri: string,
  filled: Record<string, string>,
  elapsedMs: number,
): void {
  const api = `http://127.0.0.1:${apiPort}`;
  const lines = [
    '',
    '================ citrus-subscriptions: local stack is up ================',
    `  Stripe webhook endpoint : POST ${api}/api/subscription/webhook`,
    `  Health check            : ${api}/healthz`,
    `  Metrics (Prometheus)    : ${api}/metrics`,
    `  Worker metrics / health : http://127.0.0.1:${workerMetricsPort}/metrics  (/healthz)`,
    `  Temporal UI             : http://127.0.0.1:${LOCAL_PORTS.temporalUi}`,
    `  Temporal frontend (gRPC): 127.0.0.1:${LOCAL_PORTS.temporal}`,
    `  Mail UI (maildev)       : http://127.0.0.1:${LOCAL_PORTS.mailUi}  (SMTP 127.0.0.1:${LOCAL_PORTS.smtp})`,
    `  stripe-mock             : http://127.0.0.1:${LOCAL_PORTS.stripeMock}`,
    `  MongoDB                 : ${redactUri(mongoUri)}`,
    '',
    '  Local defaults filled in (export a variable to override it):',
    ...Object.entries(filled).map(([name, value]) => `    ${name}=${value}`),
    '',
    '  Send a signed test event:  npm run stripe:send -- checkout.session.completed',
    '  Play a whole lifecycle:    npm run stripe:send -- --scenario payment-recovered',
    '  Every type and scenario:   npm run stripe:send -- --help',
    '  Data lives in .data/ and survives restarts.  Ctrl-C stops everything.',
    `  Started in ${(elapsedMs / 1000).toFixed(1)} s.`,
    '==========================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function settingDefault(name: string): string {
  const setting = (SETTINGS as readonly Setting[]).find((s) => s.env === name);
  if (setting?.default === undefined) throw new Error(`The setting ${name} has no default.`);
  return setting.default;
}

/** A user-supplied MONGODB_URI may carry a password. */
function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

process.on('SIGINT', () => void shutdown('Ctrl-C received', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM received', 0));
main().catch((error: unknown) => {
  void shutdown(error instanceof Error ? error.message : String(error), 1);
});
