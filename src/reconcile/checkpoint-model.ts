/**
 * The reconciliation checkpoint document in `reconcile_checkpoints`. Its schema is a compatible
 * superset of `src/db/models/reconcile-checkpoint.ts` (same collection, same `name` key and
 * `createdUpTo`), adding the window a run is walking, so a run that dies mid-window is resumed at
 * its last delivered page instead of starting over.
 */
import { Schema, type Connection, type Model } from 'mongoose';

/** The one checkpoint this service keeps: how far Stripe's event list has been reconciled. */
export const STRIPE_EVENTS_CHECKPOINT = 'stripe-events';

export interface StoredWindow {
  gte: number;
  lte: number;
  cursor: string | null;
  countMissedAfter: number;
}

export interface ReconcileProgressDoc {
  name: string;
  /** Stripe `created` (Unix seconds) up to which every event was signaled. */
  createdUpTo: number;
  /** The window a run is walking, or null between runs. */
  window: StoredWindow | null;
  updatedAt: Date;
}

const windowSchema = new Schema<StoredWindow>(
  {
    gte: { type: Number, required: true },
    lte: { type: Number, required: true },
    cursor: { type: String, default: null },
    countMissedAfter: { type: Number, required: true },
  },
  { _id: false },
);

export const reconcileProgressSchema = new Schema<ReconcileProgressDoc>(
  {
    name: { type: String, required: true },
    createdUpTo: { type: Number, required: true },
    window: { type: windowSchema, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'reconcile_checkpoints', versionKey: false },
);
reconcileProgressSchema.index({ name: 1 }, { unique: true });

export function reconcileProgressModel(connection: Connection): Model<ReconcileProgressDoc> {
  const name = 'ReconcileProgress';
  return (
    (connection.models[name] as Model<ReconcileProgressDoc> | undefined) ??
    connection.model<ReconcileProgressDoc>(name, reconcileProgressSchema)
  );
}
