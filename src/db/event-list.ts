/**
 * Keeps a customer's `customer_events` list (the read API's `/events`) in step with the
 * projection. The list is a set of event records, so a write merges instead of appending: a
 * retried activity, a duplicate delivered outside the workflow's dedupe window or a replayed
 * projection adds nothing, and the first record of an event ID wins, as in `applied_events`.
 *
 * A union does not depend on the order in which writes land, so unlike the state documents the
 * list needs no `seq` watermark: a late projection still adds its events. What it needs is that
 * no concurrent merge is lost, hence the compare-and-set on `revision`.
 */
import { isDuplicateKeyError } from './duplicate-key';
import type { CustomerEventEntryDoc, Models } from './models';
import { serverKind } from './server-kind';

/**
 * Most events kept per customer, newest first; the read API returns at most 500. A customer
 * gathers a few dozen a year, so only a runaway sender ever reaches it.
 */
export const MAX_LISTED_EVENTS = 1000;

/** Compare-and-set rounds before the activity fails and Temporal retries it later. */
const MAX_ROUNDS = 5;

export type EventListOutcome = 'written' | 'unchanged';

export class EventListContentionError extends Error {
  constructor(readonly customerId: string) {
    super(
      `The event list of ${customerId} changed under ${MAX_ROUNDS} writes in a row; ` +
        'the activity is retried. If this repeats, look for two workers projecting one customer.',
    );
    this.name = 'EventListContentionError';
  }
}

/** The union of both lists by event ID (stored records win), newest first, capped. */
export function mergeEventEntries(
  stored: CustomerEventEntryDoc[],
  added: CustomerEventEntryDoc[],
  max = MAX_LISTED_EVENTS,
): CustomerEventEntryDoc[] {
  const byId = new Map(stored.map((entry) => [entry.eventId, entry]));
  for (const entry of added) if (!byId.has(entry.eventId)) byId.set(entry.eventId, entry);
  return [...byId.values()].sort(newestFirst).slice(0, max);
}

/** Stripe's `created` first; its whole seconds tie often, so applied time, then ID, decide. */
function newestFirst(a: CustomerEventEntryDoc, b: CustomerEventEntryDoc): number {
  return (
    b.created.getTime() - a.created.getTime() ||
    b.appliedAt.getTime() - a.appliedAt.getTime() ||
    (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0)
  );
}

/**
 * Merges `added` into the stored list.
 *
 * On FerretDB the write filters on `_id` alone: any second key in a filter makes it decode every
 * document of the collection in Go (measured: most of its CPU under load), and its update is
 * read-then-write, not atomic, anyway. There the merge relies on the per-customer lock of the
 * projection (activities/index.ts), with the cross-worker gap of src/db/guarded-write.ts.
 */
export async function writeEventList(
  models: Models,
  customerId: string,
  added: CustomerEventEntryDoc[],
): Promise<EventListOutcome> {
  if (added.length === 0) return 'unchanged';
  const ferret = (await serverKind(models.CustomerEvents.db)) === 'ferretdb';
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const stored = await models.CustomerEvents.findOne({ _id: customerId })
      .lean<{ revision: number; events: CustomerEventEntryDoc[] }>()
      .exec();
    const known = new Set(stored?.events.map((entry) => entry.eventId));
    if (added.every((entry) => known.has(entry.eventId))) return 'unchanged';
    const events = mergeEventEntries(stored?.events ?? [], added);
    if (stored === null) {
      try {
        await models.CustomerEvents.create({ _id: customerId, customerId, revision: 1, events });
        return 'written';
      } catch (error) {
        if (isDuplicateKeyError(error)) continue; // created concurrently: merge into that one
        throw error;
      }
    }
    const filter = ferret ? { _id: customerId } : { _id: customerId, revision: stored.revision };
    const result = await models.CustomerEvents.updateOne(filter, {
      $set: { events, revision: stored.revision + 1 },
    }).exec();
    if (result.matchedCount === 1) return 'written';
  }
  throw new EventListContentionError(customerId);
}
