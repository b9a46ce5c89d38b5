/**
 * Child processes of the local stack and of the test stack. Each child runs in a process group of
 * its own (detached), so stopping it also stops whatever it spawned (tsx runs node, npm runs sh),
 * and a terminal's Ctrl-C reaches only the supervisor, which then stops children in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type OutputMode = 'prefix' | 'ignore' | { file: string };

export interface StartOptions {
  /** Short label used in prefixes and messages, e.g. `temporal`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** `prefix` copies each output line to stdout as `[name] line`; a file collects it instead. */
  output: OutputMode;
  /** Padding width for aligned prefixes. */
  prefixWidth?: number;
}

export class ProcessExitedError extends Error {
  constructor(name: string, code: number | null, signal: NodeJS.Signals | null) {
    super(
      `${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); ` +
        'see its output above or in its log file.',
    );
    this.name = 'ProcessExitedError';
  }
}

export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stopping = false;
  private readonly exited: Promise<void>;
  private log: WriteStream | undefined;

  constructor(options: StartOptions) {
    this.name = options.name;
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: [
        'ignore',
        options.output === 'ignore' ? 'ignore' : 'pipe',
        options.output === 'ignore' ? 'ignore' : 'pipe',
      ],
    });
    if (this.child.pid === undefined) {
      throw new Error(`Could not start ${options.name} (${options.command}); is it installed?`);
    }
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
    this.child.once('error', (error) => {
      this.exit ??= { code: null, signal: null };
      process.stderr.write(`[${options.name}] could not start: ${error.message}\n`);
    });
    this.pipeOutput(options);
  }

  /** An error when the process has ended without being asked to stop. */
  unexpectedExit(): Error | undefined {
    if (!this.exit || this.stopping) return undefined;
    return new ProcessExitedError(this.name, this.exit.code, this.exit.signal);
  }

  onUnexpectedExit(listener: (error: Error) => void): void {
    void this.exited.then(() => {
      const error = this.unexpectedExit();
      if (error) listener(error);
    });
  }

  /** SIGTERM to the whole group, then SIGKILL when it has not gone after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    signalGroup(this.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(this.pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (groupAlive(this.pid)) {
      process.stderr.write(`[${this.name}] still running after ${graceMs} ms; killing it\n`);
      signalGroup(this.pid, 'SIGKILL');
    }
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    this.log?.end();
  }

  private pipeOutput(options: StartOptions): void {
    if (options.output === 'ignore') return;
    const streams = [this.child.stdout, this.child.stderr];
    if (options.output === 'prefix') {
      const prefix = `[${options.name}]`.padEnd((options.prefixWidth ?? 0) + 2) + ' ';
      for (const stream of streams) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          process.stdout.write(prefix + line + '\n');
        });
      }
      return;
    }
    this.log = createWriteStream(options.output.file, { flags: 'a' });
    for (const stream of streams) stream?.pipe(this.log, { end: false });
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we want.
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
