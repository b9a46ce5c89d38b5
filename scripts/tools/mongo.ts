/**
 * How the stack gets a MongoDB-wire server: MONGODB_URI when set, else a `mongod` on PATH, else
 * FerretDB (SQLite backend) built from source.
 */
import { findOnPath } from './cache';
import { ensureFerretDb } from './go-tools';

export type MongoChoice =
  | { kind: 'external'; uri: string }
  | { kind: 'mongod'; bin: string }
  | { kind: 'ferretdb'; bin: string };

export async function chooseMongo(env: NodeJS.ProcessEnv = process.env): Promise<MongoChoice> {
  if (env.MONGODB_URI) return { kind: 'external', uri: env.MONGODB_URI };
  const mongod = findOnPath('mongod');
  if (mongod) return { kind: 'mongod', bin: mongod };
  return { kind: 'ferretdb', bin: await ensureFerretDb() };
}

/**
 * SQLite settings for the local and test store, all spelled out so none depends on FerretDB's
 * defaults. WAL lets reads run beside the one writer; `synchronous(normal)` syncs the WAL at
 * checkpoints instead of on every commit: after a power loss the last commits can be lost, the
 * file is never corrupted, and every projection write is replayed from the Temporal history
 * anyway. Production runs MongoDB, which ignores all this.
 */
export const FERRETDB_SQLITE_PRAGMAS = [
  '_pragma=journal_mode(wal)',
  '_pragma=busy_timeout(10000)',
  '_pragma=synchronous(normal)',
].join('&');

/** Arguments that run the chosen server on a port with its files in `dataDir`. */
export function mongoServerArgs(choice: MongoChoice, port: number, dataDir: string): string[] {
  if (choice.kind === 'mongod') {
    return ['--dbpath', dataDir, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet'];
  }
  return [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/?${FERRETDB_SQLITE_PRAGMAS}`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dataDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ];
}
