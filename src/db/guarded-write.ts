/**
 * Watermark-guarded upserts: the write lands only if the stored document is older (lower `seq`)
 * than the write, so a replayed or late activity never rolls state back.
 *
 *   updateOne({ key, seq: { $lt: seq } }, { $set: { ...fields, seq } }, { upsert: true })
 *
 * - stored seq lower  -> matched, updated;
 * - no document       -> inserted;
 * - stored seq higher or equal -> no match, the upsert's insert hits the unique key (E11000):
 *   a newer or equal write already landed, which is the expected outcome, not an error.
 *
 * Several writes go in one bulkWrite (one round trip). FerretDB stops an unordered bulk update
 * at the first duplicate-key error (see docs/MONGODB-COMPAT.md), so after a duplicate-key error
 * every write of the batch is repeated one by one; each is idempotent, so repeating those that
 * already landed changes nothing.
 *
 * On FerretDB the guard is read-compare-write instead: read `seq` by `_id`, then write by `_id`
 * alone. FerretDB hands only a filter that is exactly `{ _id }` to SQL (with the filter above it
 * decodes the whole collection in Go), and its filtered update is read-then-write anyway, not atomic. This is safe
 * only because every write of one document comes from one customer's projection, which runs
 * under that customer's KeyedLock in one worker (activities/index.ts); the cross-worker gap is
 * the one documented in docs/MONGODB-COMPAT.md. MongoDB keeps the atomic filter.
 */
import type { AnyBulkWriteOperation, Model, QueryFilter, UpdateQuery } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';
import { serverKind } from './server-kind';

export interface GuardedWrite<T> {
  /** The document's key, `{ _id }`: the only filter FerretDB answers from an index. */
  key: Partial<T>;
  seq: number;
  set: Partial<T>;
}

export interface GuardedWriteResult {
  /** Writes that landed (inserted or updated). */
  written: number;
  /** Writes that found a newer or equal `seq` already stored. */
  superseded: number;
}

export async function writeGuarded<T extends { seq: number }>(
  model: Model<T>,
  writes: Array<GuardedWrite<T>>,
): Promise<GuardedWriteResult> {
  if (writes.length === 0) return { written: 0, superseded: 0 };
  if ((await serverKind(model.db)) === 'ferretdb') {
    const outcomes: Array<'written' | 'superseded'> = [];
    for (const write of writes) outcomes.push(await readCompareWrite(model, write));
    return tally(outcomes);
  }
  if (writes.length === 1) return tally([await writeOne(model, writes[0] as GuardedWrite<T>)]);
  try {
    // mongoose types bulkWrite's operations through a conditional type that TypeScript cannot
    // resolve for a generic T; the operations are exactly the ones `updateOne` above takes.
    const operations = writes.map(toBulkOperation) as Parameters<Model<T>['bulkWrite']>[0];
    const result = await model.bulkWrite(operations, { ordered: false });
    const written = result.upsertedCount + result.matchedCount;
    return { written, superseded: writes.length - written };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const outcomes: Array<'written' | 'superseded'> = [];
    for (const write of writes) outcomes.push(await writeOne(model, write));
    return tally(outcomes);
  }
}

async function writeOne<T extends { seq: number }>(
  model: Model<T>,
  write: GuardedWrite<T>,
): Promise<'written' | 'superseded'> {
  try {
    await model.updateOne(guardFilter(write), guardUpdate(write), { upsert: true }).exec();
    return 'written';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'superseded';
    throw error;
  }
}

async function readCompareWrite<T extends { seq: number }>(
  model: Model<T>,
  write: GuardedWrite<T>,
): Promise<'written' | 'superseded'> {
  const stored = await model
    .findOne(write.key as QueryFilter<T>, { seq: 1 })
    .lean<{ seq?: number }>()
    .exec();
  if (stored && typeof stored.seq === 'number' && stored.seq >= write.seq) return 'superseded';
  try {
    await model.updateOne(write.key as QueryFilter<T>, guardUpdate(write), { upsert: true }).exec();
    return 'written';
  } catch (error) {
    // Another writer inserted the key between the read and the write (outside the lock).
    if (isDuplicateKeyError(error)) return 'superseded';
    throw error;
  }
}

function toBulkOperation<T extends { seq: number }>(
  write: GuardedWrite<T>,
): AnyBulkWriteOperation<T> {
  return { updateOne: { filter: guardFilter(write), update: guardUpdate(write), upsert: true } };
}

function guardFilter<T extends { seq: number }>(write: GuardedWrite<T>): QueryFilter<T> {
  return { ...write.key, seq: { $lt: write.seq } };
}

function guardUpdate<T extends { seq: number }>(write: GuardedWrite<T>): UpdateQuery<T> {
  return { $set: { ...write.set, seq: write.seq } };
}

function tally(outcomes: Array<'written' | 'superseded'>): GuardedWriteResult {
  const written = outcomes.filter((o) => o === 'written').length;
  return { written, superseded: outcomes.length - written };
}
