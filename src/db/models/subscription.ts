/** `subscriptions`: one document per Stripe subscription, for the billing team's queries. */
import { Schema } from 'mongoose';

export interface SubscriptionDoc {
  /** The Stripe subscription ID, also in `subscriptionId`: see ID_KEYED in ./index.ts. */
  _id: string;
  subscriptionId: string;
  customerId: string;
  status: string;
  priceId: string | null;
  productId: string | null;
  planInterval: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  lastEventId: string | null;
  lastEventType: string | null;
  /** Stripe `created` of the last applied event; orders same-subscription events. */
  lastEventCreated: Date | null;
  firstSeenAt: Date;
  /** The customer workflow's watermark when this document was written. */
  seq: number;
  updatedAt: Date;
}

export const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    customerId: { type: String, required: true },
    status: { type: String, required: true },
    priceId: { type: String, default: null },
    productId: { type: String, default: null },
    planInterval: { type: String, default: null },
    currentPeriodEnd: { type: Date, default: null },
    cancelAtPeriodEnd: { type: Boolean, default: false },
    lastEventId: { type: String, default: null },
    lastEventType: { type: String, default: null },
    lastEventCreated: { type: Date, default: null },
    firstSeenAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'subscriptions', versionKey: false },
);
subscriptionSchema.index({ subscriptionId: 1 }, { unique: true });
subscriptionSchema.index({ customerId: 1 });
