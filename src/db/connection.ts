/**
 * The mongoose connection of a process. One connection per process, created at start-up and
 * closed on shutdown; models are bound to it (not to mongoose's global default connection), so
 * tests can open a connection per database without touching each other.
 */
import mongoose from 'mongoose';

export interface MongoConnectionOptions {
  /** How long the first connect and each operation wait for a reachable server, in ms. */
  serverSelectionTimeoutMs?: number;
}

export async function connectMongo(
  uri: string,
  options: MongoConnectionOptions = {},
): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    // Indexes are created explicitly by `ensureIndexes`, once, not lazily per model.
    autoIndex: false,
    autoCreate: false,
    // Activities fail fast while MongoDB is down and Temporal retries them with backoff;
    // mongoose's own buffering would hide the outage behind a 10 s stall per call.
    bufferCommands: false,
  });
  return connection.asPromise();
}
