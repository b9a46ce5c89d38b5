/**
 * Small reads and writes around the projection: the persisted state snapshot for a new run,
 * and the billing team's control audit trail.
 */
import { isDuplicateKeyError } from '../src/db/duplicate-key';
import type { Models } from '../src/db/models';
import type { CustomerState } from '../workflows/customer/state';
import type { ControlRecord } from './contract';
import { invalidInput, requireCustomerId, requireNumber, requireText } from './invalid-input';

const CONTROLS: ReadonlyArray<ControlRecord['control']> = [
  'extendGrace',
  'retryPayment',
  'waiveDunning',
];

export async function loadCustomerState(
  models: Models,
  customerId: string,
): Promise<CustomerState | null> {
  requireCustomerId(customerId);
  const doc = await models.Customer.findOne({ _id: customerId }, { stateJson: 1 })
    .lean<{ stateJson?: string }>()
    .exec();
  if (!doc?.stateJson) return null;
  return JSON.parse(doc.stateJson) as CustomerState;
}

/** Insert-once by key: a retried activity finds the record and writes nothing. */
export async function recordControl(models: Models, record: ControlRecord): Promise<void> {
  requireCustomerId(record.customerId);
  requireText(record.key, 'key', 255);
  requireText(record.invoiceId, 'invoiceId', 255);
  requireText(record.reason, 'reason', 1000);
  requireNumber(record.at, 'at');
  if (!CONTROLS.includes(record.control)) {
    throw invalidInput(`control must be one of ${CONTROLS.join(', ')}.`);
  }
  try {
    await models.ControlAudit.updateOne(
      { _id: record.key },
      {
        $setOnInsert: {
          key: record.key,
          customerId: record.customerId,
          control: record.control,
          invoiceId: record.invoiceId,
          reason: record.reason,
          operator: record.operator ?? null,
          at: new Date(record.at),
          detailJson: JSON.stringify(record.detail ?? {}),
        },
      },
      { upsert: true },
    ).exec();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
