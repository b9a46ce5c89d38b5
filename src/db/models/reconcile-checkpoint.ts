/** `reconcile_checkpoints`: how far the reconciliation run has listed Stripe events. */
import { Schema } from 'mongoose';

export interface ReconcileCheckpointDoc {
  /** Checkpoint name, e.g. `stripe-events`. */
  name: string;
  /** Stripe `created` (Unix seconds) up to which events were listed. */
  createdUpTo: number;
  updatedAt: Date;
}

export const reconcileCheckpointSchema = new Schema<ReconcileCheckpointDoc>(
  {
    name: { type: String, required: true },
    createdUpTo: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'reconcile_checkpoints', versionKey: false },
);
reconcileCheckpointSchema.index({ name: 1 }, { unique: true });
