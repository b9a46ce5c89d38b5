/** `dunning_cases`: one document per failed invoice, following every step of its schedule. */
import { Schema } from 'mongoose';

export interface DunningStepDoc {
  name: string;
  dueAt: Date;
  doneAt: Date | null;
}

export interface DunningCaseDoc {
  /** The Stripe invoice ID, also in `invoiceId`: see ID_KEYED in ./index.ts. */
  _id: string;
  invoiceId: string;
  customerId: string;
  subscriptionId: string | null;
  stage: string;
  attempt: number;
  nextPaymentAttempt: Date | null;
  startedAt: Date;
  /** The earliest step still pending, or null when nothing more is scheduled. */
  nextActionAt: Date | null;
  outcome: string;
  closedAt: Date | null;
  graceExtensionMs: number;
  steps: DunningStepDoc[];
  hostedInvoiceUrl: string | null;
  amountDue: number;
  currency: string;
  seq: number;
  updatedAt: Date;
}

const stepSchema = new Schema<DunningStepDoc>(
  {
    name: { type: String, required: true },
    dueAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { _id: false },
);

export const dunningCaseSchema = new Schema<DunningCaseDoc>(
  {
    _id: { type: String, required: true },
    invoiceId: { type: String, required: true },
    customerId: { type: String, required: true },
    subscriptionId: { type: String, default: null },
    stage: { type: String, required: true },
    attempt: { type: Number, required: true },
    nextPaymentAttempt: { type: Date, default: null },
    startedAt: { type: Date, required: true },
    nextActionAt: { type: Date, default: null },
    outcome: { type: String, required: true },
    closedAt: { type: Date, default: null },
    graceExtensionMs: { type: Number, default: 0 },
    steps: { type: [stepSchema], default: [] },
    hostedInvoiceUrl: { type: String, default: null },
    amountDue: { type: Number, required: true },
    currency: { type: String, required: true },
    seq: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'dunning_cases', versionKey: false },
);
dunningCaseSchema.index({ invoiceId: 1 }, { unique: true });
dunningCaseSchema.index({ customerId: 1 });
