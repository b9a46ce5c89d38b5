/**
 * `applied_events`: one document per Stripe event ID, written once. The unique index is what
 * makes "each event ID appears at most once" true however often Stripe delivers it.
 */
import { Schema } from 'mongoose';
import type { EventOutcome } from '../../domain/customer-view';

export interface AppliedEventDoc {
  /**
   * The event ID again. FerretDB (SQLite) hands only a filter that is exactly `{ _id }` to SQL;
   * any other filter decodes the whole collection, and this one grows with every event. Keyed
   * by `_id`, the insert-once write is a unique-index check (docs/MONGODB-COMPAT.md).
   */
  _id: string;
  eventId: string;
  customerId: string;
  type: string;
  /** Stripe's `created`. */
  created: Date;
  /** Workflow time the event was applied. */
  appliedAt: Date;
  outcome: EventOutcome;
}

export const appliedEventSchema = new Schema<AppliedEventDoc>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    customerId: { type: String, required: true },
    type: { type: String, required: true },
    created: { type: Date, required: true },
    appliedAt: { type: Date, required: true },
    outcome: { type: String, required: true },
  },
  { collection: 'applied_events', versionKey: false },
);
// `_id` is the unique event ID; no second unique index to maintain on every insert.
appliedEventSchema.index({ customerId: 1, created: -1 });
