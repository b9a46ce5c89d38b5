/**
 * `customers`: the read API's view of one Stripe customer, plus the workflow's state snapshot.
 * Written only by the projection activity, guarded by the workflow's `seq` watermark.
 */
import { Schema } from 'mongoose';
import type { Access } from '../../domain/customer-view';

export interface CustomerDunningDoc {
  invoiceId: string;
  stage: string;
  attempt: number;
  startedAt: Date;
  nextActionAt: Date | null;
}

export interface CustomerDoc {
  /** The Stripe customer ID, also in `customerId`: see ID_KEYED in ./index.ts. */
  _id: string;
  customerId: string;
  accountId: string | null;
  subscriptionId: string | null;
  status: string;
  access: Access;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  dunning: CustomerDunningDoc | null;
  /** The workflow's watermark of the state written here; lower writes are ignored. */
  seq: number;
  /**
   * The workflow's CustomerState as JSON text. Stored as a string because FerretDB rejects
   * nested arrays (the dedupe window is an array of pairs) and because it is only ever read
   * back whole; see docs/MONGODB-COMPAT.md.
   */
  stateJson: string;
  /** Cached recipient for dunning e-mail; personal data, never logged. */
  email: string | null;
  /** Workflow time of the last projected change. */
  updatedAt: Date;
}

const dunningSchema = new Schema<CustomerDunningDoc>(
  {
    invoiceId: { type: String, required: true },
    stage: { type: String, required: true },
    attempt: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    nextActionAt: { type: Date, default: null },
  },
  { _id: false },
);

export const customerSchema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    accountId: { type: String, default: null },
    subscriptionId: { type: String, default: null },
    status: { type: String, required: true },
    access: { type: String, required: true },
    currentPeriodEnd: { type: Date, default: null },
    cancelAtPeriodEnd: { type: Boolean, default: false },
    dunning: { type: dunningSchema, default: null },
    seq: { type: Number, required: true },
    stateJson: { type: String, required: true },
    email: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'customers', versionKey: false, minimize: false },
);
customerSchema.index({ customerId: 1 }, { unique: true });
