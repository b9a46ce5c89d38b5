/**
 * Starts every server the tests need, each on a free port, and exports their addresses through
 * the variables in test/support/stack-env.ts (Jest workers inherit this process's environment).
 * Global teardown stops them; a SIGINT handler and a detached reaper cover interrupted runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { NODE_BIN, ROOT } from '../scripts/lib/paths';
import { freePort, waitForPort } from '../scripts/lib/ports';
import type { ManagedProcess, StartOptions } from '../scripts/lib/processes';
import { Supervisor } from '../scripts/lib/supervisor';
import { ensureStripeMock, ensureTemporal } from '../scripts/tools/go-tools';
import { chooseMongo, mongoServerArgs } from '../scripts/tools/mongo';
import { ensureTestServer, TEST_SERVER_MAIN_CLASS } from '../scripts/tools/test-server';
import { STACK_ENV } from './support/stack-env';
import { TIME_SKIPPING_ADDRESSES_ENV } from './support/worker-env';
import { setTestStack, type TestStackHandle } from './support/test-stack-handle';
import { temporalDevServerArgs } from '../scripts/lib/temporal-dev-server';

/** One time-skipping server per Jest worker: skipping time is global to a server. */
const TIME_SKIPPING_SERVERS = 2;

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), 'citrus-test-'));
  const supervisor = new Supervisor(join(runDir, 'servers.pids'));
  const handle: TestStackHandle = { supervisor, runDir };
  setTestStack(handle);
  process.once('SIGINT', () => {
    void supervisor.stopAll({ graceMs: 3000, parallel: true }).then(() => process.exit(130));
  });

  try {
    await startServers(supervisor, runDir);
  } catch (error) {
    await supervisor.stopAll({ graceMs: 3000, parallel: true });
    throw error;
  }
  process.stdout.write(
    `\n[global-setup] test servers up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

async function startServers(supervisor: Supervisor, runDir: string): Promise<void> {
  const [temporalBin, stripeMockBin, mongo, testServerClassPath] = await Promise.all([
    ensureTemporal(),
    ensureStripeMock(),
    chooseMongo(),
    ensureTestServer(),
  ]);
  const start = (options: Omit<StartOptions, 'output' | 'cwd'>) =>
    supervisor.start({
      ...options,
      cwd: runDir,
      output: { file: join(runDir, `${options.name}.log`) },
    });
  const ready = (child: ManagedProcess, port: number) =>
    waitForPort({
      name: child.name,
      port,
      timeoutMs: 90_000,
      failed: () => child.unexpectedExit(),
    }).catch((error: unknown) => {
      throw withLog(error, join(runDir, `${child.name}.log`));
    });
  const waits: Promise<void>[] = [];

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
  waits.push(ready(temporal, temporalPort));
  process.env[STACK_ENV.temporalAddress] = `127.0.0.1:${temporalPort}`;
  process.env[STACK_ENV.temporalBin] = temporalBin;

  if (mongo.kind === 'external') {
    process.env[STACK_ENV.mongoBaseUri] = baseUri(mongo.uri);
  } else {
    const port = await freePort();
    const dataDir = join(runDir, 'mongo');
    mkdirSync(dataDir);
    const server = start({
      name: mongo.kind,
      command: mongo.bin,
      args: mongoServerArgs(mongo, port, dataDir),
    });
    waits.push(ready(server, port));
    process.env[STACK_ENV.mongoBaseUri] = `mongodb://127.0.0.1:${port}`;
  }

  const stripePort = await freePort();
  const stripeMock = start({
    name: 'stripe-mock',
    command: stripeMockBin,
    // stripe-mock also serves HTTPS, on 12112 unless told otherwise.
    args: ['-http-addr', `127.0.0.1:${stripePort}`, '-https-addr', `127.0.0.1:${await freePort()}`],
  });
  waits.push(ready(stripeMock, stripePort));
  process.env[STACK_ENV.stripeApiBase] = `http://127.0.0.1:${stripePort}`;

  const smtpPort = await freePort();
  const mailWebPort = await freePort();
  const maildev = start({
    name: 'maildev',
    command: join(NODE_BIN, 'maildev'),
    args: [
      '--smtp',
      String(smtpPort),
      '--ip',
      '127.0.0.1',
      '--web',
      String(mailWebPort),
      '--web-ip',
      '127.0.0.1',
    ],
  });
  waits.push(ready(maildev, smtpPort), ready(maildev, mailWebPort));
  process.env[STACK_ENV.smtpUrl] = `smtp://127.0.0.1:${smtpPort}`;
  process.env[STACK_ENV.mailApiUrl] = `http://127.0.0.1:${mailWebPort}`;

  const timeSkipping: string[] = [];
  for (let i = 0; i < TIME_SKIPPING_SERVERS; i++) {
    const port = await freePort();
    const server = start({
      name: `time-skipping-${i + 1}`,
      command: 'java',
      args: ['-Xss2m', '-cp', testServerClassPath, TEST_SERVER_MAIN_CLASS, String(port)],
    });
    waits.push(ready(server, port));
    timeSkipping.push(`127.0.0.1:${port}`);
  }
  process.env[TIME_SKIPPING_ADDRESSES_ENV] = timeSkipping.join(',');
  process.env[STACK_ENV.timeSkippingAddress] = timeSkipping[0];

  waits.push(bundleWorkflows(runDir));
  await Promise.all(waits);
}

/** Bundles `workflows/` once, so each test worker loads the code instead of running webpack. */
async function bundleWorkflows(runDir: string): Promise<void> {
  const entry = join(ROOT, 'workflows', 'index.ts');
  if (!existsSync(entry)) {
    // TODO(workflows): drop this branch once workflows/index.ts exists on every branch.
    process.stdout.write('[global-setup] workflows/index.ts not found; no workflow bundle\n');
    return;
  }
  const { code } = await bundleWorkflowCode({ workflowsPath: entry, logger: quietBundlerLogger() });
  const path = join(runDir, 'workflow-bundle.js');
  writeFileSync(path, code);
  process.env[STACK_ENV.workflowBundlePath] = path;
}

function quietBundlerLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
}

/** `mongodb://host:port/db?x` without the database part, so tests can append their own. */
function baseUri(uri: string): string {
  const url = new URL(uri);
  url.pathname = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

function withLog(error: unknown, logFile: string): Error {
  const tail = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')
    : '';
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${message}\nLast lines of ${logFile}:\n${tail}`);
}
