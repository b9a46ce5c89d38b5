/** `control_audit`: every billing-team control, once per key, with the operator's reason. */
import { Schema } from 'mongoose';

export interface ControlAuditDoc {
  /** The key, also in `key`: see ID_KEYED in ./index.ts. */
  _id: string;
  key: string;
  customerId: string;
  control: string;
  invoiceId: string;
  reason: string;
  operator: string | null;
  at: Date;
  /** JSON text of the control's details (kept as text: free-form, never queried). */
  detailJson: string;
}

export const controlAuditSchema = new Schema<ControlAuditDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    customerId: { type: String, required: true },
    control: { type: String, required: true },
    invoiceId: { type: String, required: true },
    reason: { type: String, required: true },
    operator: { type: String, default: null },
    at: { type: Date, required: true },
    detailJson: { type: String, required: true },
  },
  { collection: 'control_audit', versionKey: false },
);
controlAuditSchema.index({ key: 1 }, { unique: true });
controlAuditSchema.index({ customerId: 1, at: -1 });
