/**
 * The mongoose connection of a process. One connection per process, created at start-up and
 * closed on shutdown; models are bound to it (not to mongoose's global default connection), so
 * tests can open a connection per database without touching each other.
 */
import mongoose from 'mongoose';

export interface MongoConnectionOptions {
  /** How long the first connect and each operation wait for a reachable server, in ms. */
  serverSelectionTimeoutMs?: number;
  /** Most operations in flight on this connection at once. */
  maxPoolSize?: number;
}

/**
 * FerretDB on SQLite has one writer per database file and answers SQLITE_BUSY ("database is
 * locked") instead of waiting when many writes arrive at once; a small pool queues them in the
 * driver instead. MongoDB itself would take more, but the projection is not pool-bound.
 */
export const DEFAULT_MAX_POOL_SIZE = 8;

export async function connectMongo(
  uri: string,
  options: MongoConnectionOptions = {},
): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    maxPoolSize: options.maxPoolSize ?? DEFAULT_MAX_POOL_SIZE,
    // Indexes are created explicitly by `ensureIndexes`, once, not lazily per model.
    autoIndex: false,
    autoCreate: false,
    // Activities fail fast while MongoDB is down and Temporal retries them with backoff;
    // mongoose's own buffering would hide the outage behind a 10 s stall per call.
    bufferCommands: false,
  });
  return connection.asPromise();
}
