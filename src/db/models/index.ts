/**
 * The projection's models, bound to one connection. Collection names are explicit so that the
 * billing team's queries and the docs do not depend on mongoose's pluralisation.
 */
import type { Connection, Model } from 'mongoose';
import { appliedEventSchema, type AppliedEventDoc } from './applied-event';
import { controlAuditSchema, type ControlAuditDoc } from './control-audit';
import { customerSchema, type CustomerDoc } from './customer';
import { customerEventsSchema, type CustomerEventsDoc } from './customer-events';
import { dunningCaseSchema, type DunningCaseDoc } from './dunning-case';
import { notificationSchema, type NotificationDoc } from './notification';
import { reconcileCheckpointSchema, type ReconcileCheckpointDoc } from './reconcile-checkpoint';
import { subscriptionSchema, type SubscriptionDoc } from './subscription';

export type { AppliedEventDoc } from './applied-event';
export type { ControlAuditDoc } from './control-audit';
export type { CustomerDoc, CustomerDunningDoc } from './customer';
export type { CustomerEventEntryDoc, CustomerEventsDoc } from './customer-events';
export type { DunningCaseDoc, DunningStepDoc } from './dunning-case';
export type { NotificationDoc, NotificationStatus } from './notification';
export type { ReconcileCheckpointDoc } from './reconcile-checkpoint';
export type { SubscriptionDoc } from './subscription';

export interface Models {
  Customer: Model<CustomerDoc>;
  Subscription: Model<SubscriptionDoc>;
  AppliedEvent: Model<AppliedEventDoc>;
  CustomerEvents: Model<CustomerEventsDoc>;
  DunningCase: Model<DunningCaseDoc>;
  Notification: Model<NotificationDoc>;
  ControlAudit: Model<ControlAuditDoc>;
  ReconcileCheckpoint: Model<ReconcileCheckpointDoc>;
}

/**
 * Collections whose `_id` is their natural key (the Stripe ID or the outbox/audit key), which is
 * also kept in its named field for readers. Every projection read and write filters on `_id`:
 * FerretDB on SQLite hands only a filter that is exactly `{ _id }` to SQL, and decodes every
 * document of the collection in Go for any other (docs/MONGODB-COMPAT.md). A store written before this change (ObjectId `_id`) must be
 * rebuilt from the workflows; the local and test stores are created fresh.
 */
export const ID_KEYED = {
  customers: 'customerId',
  customer_events: 'customerId',
  subscriptions: 'subscriptionId',
  dunning_cases: 'invoiceId',
  notifications: 'key',
  control_audit: 'key',
} as const;

export function createModels(connection: Connection): Models {
  // `connection.model` returns the already compiled model when called twice with one name.
  const bind = <T>(name: string, schema: import('mongoose').Schema<T>): Model<T> =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return {
    Customer: bind('Customer', customerSchema),
    Subscription: bind('Subscription', subscriptionSchema),
    AppliedEvent: bind('AppliedEvent', appliedEventSchema),
    CustomerEvents: bind('CustomerEvents', customerEventsSchema),
    DunningCase: bind('DunningCase', dunningCaseSchema),
    Notification: bind('Notification', notificationSchema),
    ControlAudit: bind('ControlAudit', controlAuditSchema),
    ReconcileCheckpoint: bind('ReconcileCheckpoint', reconcileCheckpointSchema),
  };
}

/**
 * Creates the collections and indexes (unique keys first: idempotency depends on them).
 * Idempotent; the worker calls it at start-up and the tests per database.
 */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Model<unknown>>) {
    await model.createCollection().catch((error: unknown) => {
      // NamespaceExists (48): created by an earlier start or a concurrent worker.
      if ((error as { code?: unknown }).code !== 48) throw error;
    });
    await model.createIndexes();
  }
}
