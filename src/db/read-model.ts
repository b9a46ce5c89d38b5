/**
 * The read API's storage: customers and their applied events, in the exact shapes of the read
 * API contract (ISO strings, newest first). Reads only; the projection activity writes.
 */
import type { Connection } from 'mongoose';
import type { AppliedEventView, DunningStage, DunningView } from '../domain/customer-view';
import type { CustomerRecord, ReadModel } from '../domain/read-model';
import type { SubscriptionStatus } from '../domain/stripe-events';
import { MAX_LISTED_EVENTS } from './event-list';
import {
  createModels,
  type CustomerDoc,
  type CustomerDunningDoc,
  type CustomerEventEntryDoc,
  type Models,
} from './models';

/** Default and largest page of `listEvents`; the largest is all that `customer_events` keeps. */
export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = MAX_LISTED_EVENTS;

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
      // One `_id` lookup: the list is kept sorted newest first by the projection.
      const doc = await models.CustomerEvents.findOne({ _id: customerId }, { events: 1 })
        .lean<{ events: CustomerEventEntryDoc[] }>()
        .exec();
      const count = Math.min(Math.max(1, Math.floor(limit)), MAX_EVENTS_LIMIT);
      return (doc?.events ?? []).slice(0, count).map((entry): AppliedEventView => ({
        eventId: entry.eventId,
        type: entry.type,
        created: entry.created.toISOString(),
        appliedAt: entry.appliedAt.toISOString(),
        outcome: entry.outcome,
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
