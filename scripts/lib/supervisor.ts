/**
 * Owns a set of child processes: starts them, records their PIDs in a file watched by the reaper,
 * and stops them all in reverse start order. Used by `npm start` and the Jest global setup.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, type StartOptions } from './processes';

export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private stopping: Promise<void> | undefined;

  /** `pidFile` lists one process group per line; the reaper reads it if this process dies. */
  constructor(readonly pidFile: string) {
    writeFileSync(pidFile, '');
    const reaper = spawn(
      process.execPath,
      [join(__dirname, 'reaper.mjs'), String(process.pid), pidFile],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    reaper.unref();
  }

  start(options: StartOptions): ManagedProcess {
    const child = new ManagedProcess(options);
    this.processes.push(child);
    appendFileSync(this.pidFile, `${child.pid}\n`);
    return child;
  }

  get pids(): number[] {
    return this.processes.map((p) => p.pid);
  }

  /**
   * Stops every child; safe to call repeatedly. In order, the newest first, so the API stops
   * before Temporal; or all at once when nothing depends on anything (the test servers).
   */
  stopAll(options: { graceMs?: number; parallel?: boolean } = {}): Promise<void> {
    const { graceMs, parallel = false } = options;
    this.stopping ??= (async () => {
      const newestFirst = [...this.processes].reverse();
      if (parallel) await Promise.all(newestFirst.map((child) => child.stop(graceMs)));
      else for (const child of newestFirst) await child.stop(graceMs);
      rmSync(this.pidFile, { force: true });
    })();
    return this.stopping;
  }
}
