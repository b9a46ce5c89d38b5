/**
 * `applied_events`: one document per Stripe event ID, written once. The unique index is what
 * makes "each event ID appears at most once" true however often Stripe delivers it.
 */
import { Schema } from 'mongoose';
import type { EventOutcome } from '../../domain/customer-view';

export interface AppliedEventDoc {
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
    eventId: { type: String, required: true },
    customerId: { type: String, required: true },
    type: { type: String, required: true },
    created: { type: Date, required: true },
    appliedAt: { type: Date, required: true },
    outcome: { type: String, required: true },
  },
  { collection: 'applied_events', versionKey: false },
);
appliedEventSchema.index({ eventId: 1 }, { unique: true });
appliedEventSchema.index({ customerId: 1, created: -1 });
