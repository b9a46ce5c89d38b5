/**
 * Child processes for the fault drills: the real API and worker entry points and servers the
 * drill owns (its own Temporal dev server and MongoDB-wire server), so a drill can SIGKILL or stop
 * them without touching the servers the rest of the suite shares. Everything listens on loopback.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../../scripts/lib/ports';
import { testStack } from '../../support/stack-env';
import { temporalDevServerArgs } from '../../../scripts/lib/temporal-dev-server';

export const ROOT = join(__dirname, '..', '..', '..');

export class Child {
  readonly process: ChildProcess;
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.process = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString();
    };
    this.process.stdout?.on('data', collect);
    this.process.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string {
    return this.output;
  }

  running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running()) {
        throw new Error(`${this.name} exited before ${pattern}; output:\n${this.output}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: no ${pattern} within ${timeoutMs} ms; output:\n${this.output}`,
        );
      }
      await sleep(100);
    }
  }

  /** Sends the signal and waits for the exit (SIGKILL is the crash drill, SIGTERM a clean stop). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running()) return;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function eventually<T>(check: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** A Temporal dev server whose state lives in `dbFile`, so a restart on the same port keeps it. */
export async function startTemporal(port: number, dbFile: string): Promise<Child> {
  const child = new Child(
    'temporal',
    testStack().temporalBin,
    temporalDevServerArgs({
      port,
      httpPort: await freePort(),
      metricsPort: await freePort(),
      dbFile,
    }),
  );
  await waitForPort({
    name: 'temporal',
    port,
    timeoutMs: 60_000,
    failed: () => exitedError(child),
  });
  return child;
}

/** FerretDB (SQLite backend) with its files in `dataDir`; a restart on the same dir keeps them. */
export async function startFerret(port: number, dataDir: string): Promise<Child> {
  const child = new Child('ferretdb', join(ROOT, '.tools', 'bin', 'ferretdb'), [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dataDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ]);
  await waitForPort({
    name: 'ferretdb',
    port,
    timeoutMs: 30_000,
    failed: () => exitedError(child),
  });
  return child;
}

function exitedError(child: Child): Error | undefined {
  return child.running() ? undefined : new Error(`${child.name} exited:\n${child.logs()}`);
}

/** `tsx src/api/main.ts`, resolved once it logs that it listens. */
export async function startApi(env: NodeJS.ProcessEnv): Promise<Child> {
  const child = new Child('api', process.execPath, ['--import', 'tsx', 'src/api/main.ts'], env);
  await child.waitFor(/"msg":"api listening"/, 60_000);
  return child;
}

/** `tsx src/worker/main.ts`, resolved once its worker polls (it bundles the workflows first). */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<Child> {
  const child = new Child(
    'worker',
    process.execPath,
    ['--import', 'tsx', 'src/worker/main.ts'],
    env,
  );
  await child.waitFor(/"msg":"worker started"/, 110_000);
  return child;
}
