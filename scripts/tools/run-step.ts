/**
 * Runs one slow set-up command (a Go build, a Maven fetch) with visible progress: a line when it
 * starts, a heartbeat while it runs, and its output only when it fails.
 */
import { spawn } from 'node:child_process';

export class ToolBuildError extends Error {
  constructor(what: string, command: string, output: string) {
    super(
      `${what} failed (${command}).\n${output.trim().split('\n').slice(-30).join('\n')}\n` +
        'Check that the Go module proxy or Maven Central is reachable, then run the command again.',
    );
    this.name = 'ToolBuildError';
  }
}

export interface StepOptions {
  /** What the user waits for, e.g. `Building the Temporal CLI v1.5.1`. */
  what: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function progress(message: string): void {
  process.stdout.write(`[tools] ${message}\n`);
}

export async function runStep(options: StepOptions): Promise<void> {
  const started = Date.now();
  progress(`${options.what} (first run only; this can take a few minutes) ...`);
  const heartbeat = setInterval(() => {
    progress(`  ... ${options.what} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 15_000);
  let output = '';
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) {
      throw new ToolBuildError(
        options.what,
        `${options.command} ${options.args.join(' ')}`,
        output,
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  progress(`${options.what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}
