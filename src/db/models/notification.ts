/**
 * `notifications`: the e-mail outbox. One document per key (`<invoiceId>:<step>`), inserted
 * before the send and marked `sent` after it, so a retry or a replay finds it and sends nothing.
 */
import { Schema } from 'mongoose';

export type NotificationStatus = 'pending' | 'sent' | 'no_recipient';

export interface NotificationDoc {
  /** The key, also in `key`: see ID_KEYED in ./index.ts. */
  _id: string;
  key: string;
  customerId: string;
  template: string;
  invoiceId: string;
  status: NotificationStatus;
  /** How many activity attempts reached the outbox for this key. */
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  /** SMTP Message-ID, derived from the key so that a rare resend carries the same one. */
  messageId: string | null;
}

export const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    customerId: { type: String, required: true },
    template: { type: String, required: true },
    invoiceId: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    messageId: { type: String, default: null },
  },
  { collection: 'notifications', versionKey: false },
);
notificationSchema.index({ key: 1 }, { unique: true });
notificationSchema.index({ customerId: 1 });
