/**
 * A MongoDB-wire server for the API's end-to-end test: the suite's shared one when Jest's global
 * setup started it, otherwise a FerretDB (SQLite backend) of our own on free loopback ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK_ENV } from '../../support/stack-env';
import { freePort } from './temporal-server';

export interface MongoForTests {
  /** A URI with a database of its own. */
  uri: string;
  stop(): Promise<void>;
}

export async function mongoForTests(label: string): Promise<MongoForTests> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const shared = process.env[STACK_ENV.mongoBaseUri];
  if (shared) return { uri: `${shared}/t_${label}_${suffix}`, stop: async () => undefined };

  const binary = join(__dirname, '../../../.tools/bin/ferretdb');
  if (!existsSync(binary)) throw new Error(`No FerretDB at ${binary}: run npm test once.`);
  const dir = mkdtempSync(join(tmpdir(), 'citrus-ferret-'));
  const [port, debugPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, child);
  return {
    uri: `mongodb://127.0.0.1:${port}/t_${label}_${suffix}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ferretdb exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`FerretDB on port ${port} did not open within 20 s.`);
}
