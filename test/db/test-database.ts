/**
 * A MongoDB database of its own for one test file, on the stack's MongoDB-wire server, with the
 * projection's collections and indexes created.
 */
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connection';
import { createModels, ensureIndexes, type Models } from '../../src/db/models';
import { uniqueMongoUri } from '../support/stack-env';

export interface TestDatabase {
  connection: Connection;
  models: Models;
  close(): Promise<void>;
}

export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const connection = await connectMongo(uniqueMongoUri(label));
  const models = createModels(connection);
  await ensureIndexes(models);
  return {
    connection,
    models,
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}
