/**
 * The read API's storage: customers and their applied events, in the exact shapes of the read
 * API contract (ISO strings, newest first). Reads only; the projection activity writes.
 */
import type { Connection } from 'mongoose';
import type { AppliedEventView, DunningStage, DunningView } from '../domain/customer-view';
import type { CustomerRecord, ReadModel } from '../domain/read-model';
import type { SubscriptionStatus } from '../domain/stripe-events';
import { createModels, type CustomerDoc, type CustomerDunningDoc, type Models } from './models';

/** Default and largest page of `listEvents`. */
export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;

export function createReadModel(connection: Connection): ReadModel {
  return readModelFromModels(createModels(connection));
}

export function readModelFromModels(models: Models): ReadModel {
  return {
    async getCustomer(customerId) {
      const doc = await models.Customer.findOne({ _id: customerId }, { stateJson: 0, email: 0 })
        .lean<CustomerDoc>()
        .exec();
      return doc ? toCustomerRecord(doc) : null;
    },

    async listEvents(customerId, limit = DEFAULT_EVENTS_LIMIT) {
      const docs = await models.AppliedEvent.find({ customerId })
        .sort({ created: -1, appliedAt: -1, eventId: -1 })
        .limit(Math.min(Math.max(1, Math.floor(limit)), MAX_EVENTS_LIMIT))
        .lean()
        .exec();
      return docs.map((doc): AppliedEventView => ({
        eventId: doc.eventId,
        type: doc.type,
        created: doc.created.toISOString(),
        appliedAt: doc.appliedAt.toISOString(),
        outcome: doc.outcome,
      }));
    },
  };
}

function toCustomerRecord(doc: CustomerDoc): CustomerRecord {
  return {
    customerId: doc.customerId,
    accountId: doc.accountId ?? null,
    subscriptionId: doc.subscriptionId ?? null,
    status: doc.status as SubscriptionStatus | 'none',
    access: doc.access,
    currentPeriodEnd: doc.currentPeriodEnd ? doc.currentPeriodEnd.toISOString() : null,
    cancelAtPeriodEnd: doc.cancelAtPeriodEnd ?? false,
    dunning: doc.dunning ? toDunningView(doc.dunning) : null,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function toDunningView(dunning: CustomerDunningDoc): DunningView {
  return {
    invoiceId: dunning.invoiceId,
    stage: dunning.stage as DunningStage,
    attempt: dunning.attempt,
    startedAt: dunning.startedAt.toISOString(),
    nextActionAt: dunning.nextActionAt ? dunning.nextActionAt.toISOString() : null,
  };
}
