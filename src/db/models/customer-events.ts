/**
 * `customer_events`: the read API's list of one customer's applied events, newest first, in a
 * single document keyed by the customer ID.
 *
 * Why a second copy of `applied_events`: that log is keyed by event ID, and listing a customer's
 * events there is a `{ customerId }` filter, which FerretDB (SQLite) answers by scanning and
 * decoding the whole log on every request (docs/MONGODB-COMPAT.md). One document per customer
 * makes the read API's `/events` an `_id` lookup on both servers. `applied_events` stays the
 * durable, insert-once log; this list is derived from the same projection writes.
 */
import { Schema } from 'mongoose';
import type { EventOutcome } from '../../domain/customer-view';

export interface CustomerEventEntryDoc {
  eventId: string;
  type: string;
  /** Stripe's `created`. */
  created: Date;
  /** Workflow time the event was applied. */
  appliedAt: Date;
  outcome: EventOutcome;
}

export interface CustomerEventsDoc {
  /** The Stripe customer ID, also in `customerId`: see ID_KEYED in ./index.ts. */
  _id: string;
  customerId: string;
  /** Bumped by every write; a write lands only on the revision it read (compare-and-set). */
  revision: number;
  /** Newest first, each event ID once, at most MAX_LISTED_EVENTS (src/db/event-list.ts). */
  events: CustomerEventEntryDoc[];
}

const entrySchema = new Schema<CustomerEventEntryDoc>(
  {
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    created: { type: Date, required: true },
    appliedAt: { type: Date, required: true },
    outcome: { type: String, required: true },
  },
  { _id: false },
);

export const customerEventsSchema = new Schema<CustomerEventsDoc>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    revision: { type: Number, required: true },
    events: { type: [entrySchema], default: [] },
  },
  // `_id` is the customer ID; a second unique index would only cost every write.
  { collection: 'customer_events', versionKey: false },
);
