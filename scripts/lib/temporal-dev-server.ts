/**
 * Arguments for `temporal server start-dev`, shared by `npm start`, the test stack, the fault
 * drills and the history recorder, so every dev server registers the same search attributes and
 * binds loopback only.
 */
import { SEARCH_ATTRIBUTE_CLI_ARGS } from '../../workflows/definitions';

export interface DevServerOptions {
  /** Frontend gRPC port. */
  port: number;
  /** Web UI port; without one the server runs headless. */
  uiPort?: number;
  /** HTTP API and metrics ports; the CLI picks fixed defaults, which collide between servers. */
  httpPort?: number;
  metricsPort?: number;
  /** SQLite file that keeps state across restarts; without one, state lives in memory. */
  dbFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * A file-backed server otherwise uses a rollback journal with a full sync per commit, and every
 * signal, task and activity is several commits. WAL with `synchronous=normal` can lose the last
 * commits on a power cut, never on a process crash, which is the right trade for a local store.
 */
const FILE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

export function temporalDevServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.httpPort !== undefined) args.push('--http-port', String(options.httpPort));
  if (options.metricsPort !== undefined) args.push('--metrics-port', String(options.metricsPort));
  if (options.dbFile !== undefined) {
    args.push('--db-filename', options.dbFile);
    for (const pragma of FILE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  args.push('--log-level', options.logLevel ?? 'error', ...SEARCH_ATTRIBUTE_CLI_ARGS);
  return args;
}
