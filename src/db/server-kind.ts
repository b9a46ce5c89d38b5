/**
 * Whether a connection talks to FerretDB or to MongoDB, asked once per connection. FerretDB
 * reports `ferretdbVersion` in `buildInfo`; MongoDB does not.
 */
import type { Connection } from 'mongoose';

export type ServerKind = 'mongodb' | 'ferretdb';

const kinds = new WeakMap<Connection, Promise<ServerKind>>();

export function serverKind(connection: Connection): Promise<ServerKind> {
  let kind = kinds.get(connection);
  if (!kind) {
    kind = askServer(connection);
    kinds.set(connection, kind);
    // A failed question (server down) is asked again next time rather than cached.
    kind.catch(() => kinds.delete(connection));
  }
  return kind;
}

async function askServer(connection: Connection): Promise<ServerKind> {
  const db = connection.db;
  if (!db) throw new Error('The MongoDB connection is not open yet; connect before writing.');
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
}
