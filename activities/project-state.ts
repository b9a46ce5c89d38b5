/**
 * The projection: writes one workflow change to MongoDB in a single activity. Every write is
 * idempotent and ordered by the workflow's `seq` watermark, so a retried, replayed or late
 * activity can never roll state back, and the event log holds each event ID once.
 *
 * Several queued events can share one projection: the state is written once, at the watermark
 * after the last of them, and each event is logged once, in one bulk round trip.
 *
 * The five collections are written in parallel: they are independent, each write is guarded
 * on its own, and a partial failure is repaired by the activity's retry (which repeats the
 * writes that already landed harmlessly). No transaction is needed, and FerretDB has none.
 */
import { mongo } from 'mongoose';
import { isDuplicateKeyError } from '../src/db/duplicate-key';
import { writeEventList, type EventListOutcome } from '../src/db/event-list';
import { writeGuarded, type GuardedWrite } from '../src/db/guarded-write';
import type {
  AppliedEventDoc,
  CustomerDoc,
  CustomerEventEntryDoc,
  DunningCaseDoc,
  Models,
  SubscriptionDoc,
} from '../src/db/models';
import { isSubscriptionStatus } from '../src/domain/stripe-events';
import type { DunningCase, SubscriptionState } from '../workflows/customer/state';
import type { AppliedEventRecord, ProjectStateInput } from './contract';
import {
  invalidInput,
  optionalIsoDate,
  requireCustomerId,
  requireIsoDate,
  requireNumber,
  requireText,
} from './invalid-input';

const ACCESS = ['active', 'grace', 'suspended', 'none'];
const OUTCOMES = ['applied', 'stale', 'ignored'];

export interface ProjectionResult {
  customer: 'written' | 'superseded';
  subscriptions: { written: number; superseded: number };
  dunningCases: { written: number; superseded: number };
  /** Event log documents inserted now; an event ID that was already logged counts 0. */
  eventsLogged: number;
  /** The read API's per-customer event list; `unchanged` when the change carried no event. */
  eventList: EventListOutcome;
}

/** The most events one projection may log: the workflow's batch bound, with room to spare. */
export const MAX_EVENTS_PER_PROJECTION = 500;

export async function projectState(
  models: Models,
  input: ProjectStateInput,
): Promise<ProjectionResult> {
  // Validate and build every write before sending any, so bad input writes nothing.
  validate(input);
  const at = new Date(input.at);
  const customerWrite = toCustomerWrite(input);
  const subscriptionWrites = input.subscriptions.map((s) => toSubscriptionWrite(input, s, at));
  const dunningWrites = input.dunningCases.map((c) => toDunningCaseWrite(input, c, at));
  const events = eventsOf(input);
  const [customer, subscriptions, dunningCases, eventsLogged, eventList] = await Promise.all([
    writeGuarded(models.Customer, [customerWrite]),
    writeGuarded(models.Subscription, subscriptionWrites),
    writeGuarded(models.DunningCase, dunningWrites),
    logEvents(models, input.customerId, events, at),
    writeEventList(
      models,
      input.customerId,
      events.map((event) => toEventEntry(event, at)),
    ),
  ]);
  return {
    customer: customer.written === 1 ? 'written' : 'superseded',
    subscriptions,
    dunningCases,
    eventsLogged,
    eventList,
  };
}

/** The events a projection logs: the one that caused it, or the batch. */
export function eventsOf(input: ProjectStateInput): AppliedEventRecord[] {
  if (input.events) return input.events;
  return input.event ? [input.event] : [];
}

/**
 * Insert-once by event ID, in one round trip for a whole batch: an unordered insert goes on past
 * the IDs already logged (a second delivery, or a retried activity), which fail with E11000 and
 * change nothing.
 *
 * Why an insert and not an upsert: an insert reads nothing first, it only checks the unique
 * `_id` index. On a FerretDB built without the local stack's patch an upsert even scanned this
 * ever-growing log, and got slower with every event (docs/MONGODB-COMPAT.md).
 */
async function logEvents(
  models: Models,
  customerId: string,
  events: AppliedEventRecord[],
  at: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const docs = events.map((event) => ({
    _id: event.eventId,
    ...toEventEntry(event, at),
    customerId,
  }));
  // The driver's collection: a plain insert, without mongoose's casting and validation, which
  // `validate()` has already covered. Its type parameter is the schema's document shape.
  const log = models.AppliedEvent.collection as unknown as mongo.Collection<AppliedEventDoc>;
  try {
    const result = await log.insertMany(docs, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    if (error instanceof mongo.MongoBulkWriteError && onlyDuplicateKeys(error)) {
      return error.result.insertedCount;
    }
    throw error;
  }
}

function onlyDuplicateKeys(error: mongo.MongoBulkWriteError): boolean {
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((w) => isDuplicateKeyError(w));
}

function toEventEntry(event: AppliedEventRecord, appliedAt: Date): CustomerEventEntryDoc {
  return {
    eventId: event.eventId,
    type: event.type,
    created: new Date(event.created * 1000),
    appliedAt,
    outcome: event.outcome,
  };
}

function toCustomerWrite(input: ProjectStateInput): GuardedWrite<CustomerDoc> {
  const { view } = input;
  return {
    key: { _id: input.customerId },
    seq: input.seq,
    set: {
      customerId: input.customerId,
      accountId: view.accountId,
      subscriptionId: view.subscriptionId,
      status: view.status,
      access: view.access,
      currentPeriodEnd: optionalIsoDate(view.currentPeriodEnd, 'view.currentPeriodEnd'),
      cancelAtPeriodEnd: view.cancelAtPeriodEnd,
      dunning: view.dunning
        ? {
            invoiceId: view.dunning.invoiceId,
            stage: view.dunning.stage,
            attempt: view.dunning.attempt,
            startedAt: requireIsoDate(view.dunning.startedAt, 'view.dunning.startedAt'),
            nextActionAt: optionalIsoDate(view.dunning.nextActionAt, 'view.dunning.nextActionAt'),
          }
        : null,
      stateJson: JSON.stringify(input.state),
      updatedAt: new Date(input.at),
    },
  };
}

function toSubscriptionWrite(
  input: ProjectStateInput,
  s: SubscriptionState,
  at: Date,
): GuardedWrite<SubscriptionDoc> {
  requireText(s.id, 'subscriptions[].id', 255);
  if (!isSubscriptionStatus(s.status)) {
    throw invalidInput(`subscriptions[].status "${String(s.status)}" is not a Stripe status.`);
  }
  return {
    key: { _id: s.id },
    seq: input.seq,
    set: {
      subscriptionId: s.id,
      customerId: input.customerId,
      status: s.status,
      priceId: s.priceId,
      productId: s.productId,
      planInterval: s.planInterval,
      currentPeriodEnd: unixToDate(s.currentPeriodEnd),
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      lastEventId: s.lastEventId,
      lastEventType: s.lastEventType,
      lastEventCreated: s.lastEventCreated > 0 ? new Date(s.lastEventCreated * 1000) : null,
      firstSeenAt: new Date(s.firstSeenAt),
      updatedAt: at,
    },
  };
}

function toDunningCaseWrite(
  input: ProjectStateInput,
  c: DunningCase,
  at: Date,
): GuardedWrite<DunningCaseDoc> {
  requireText(c.invoiceId, 'dunningCases[].invoiceId', 255);
  const pending = c.steps.filter((step) => step.doneAt === null).map((step) => step.dueAt);
  return {
    key: { _id: c.invoiceId },
    seq: input.seq,
    set: {
      invoiceId: c.invoiceId,
      customerId: input.customerId,
      subscriptionId: c.subscriptionId,
      stage: c.stage,
      attempt: c.attempt,
      nextPaymentAttempt: unixToDate(c.nextPaymentAttempt),
      startedAt: new Date(c.startedAt),
      nextActionAt:
        c.outcome === 'open' && pending.length > 0 ? new Date(Math.min(...pending)) : null,
      outcome: c.outcome,
      closedAt: c.closedAt === null ? null : new Date(c.closedAt),
      graceExtensionMs: c.graceExtensionMs,
      steps: c.steps.map((step) => ({
        name: step.name,
        dueAt: new Date(step.dueAt),
        doneAt: step.doneAt === null ? null : new Date(step.doneAt),
      })),
      hostedInvoiceUrl: c.hostedInvoiceUrl,
      amountDue: c.amountDue,
      currency: c.currency,
      updatedAt: at,
    },
  };
}

function validate(input: ProjectStateInput): void {
  requireCustomerId(input.customerId);
  if (!Number.isSafeInteger(input.seq) || input.seq < 0) {
    throw invalidInput(`seq must be a whole number >= 0, got ${String(input.seq)}.`);
  }
  requireNumber(input.at, 'at');
  const { view, state } = input;
  if (!view || view.customerId !== input.customerId) {
    throw invalidInput('view.customerId must equal customerId.');
  }
  if (!state || state.customerId !== input.customerId) {
    throw invalidInput('state.customerId must equal customerId.');
  }
  if (!ACCESS.includes(view.access)) {
    throw invalidInput(`view.access must be one of ${ACCESS.join(', ')}.`);
  }
  if (view.status !== 'none' && !isSubscriptionStatus(view.status)) {
    throw invalidInput('view.status must be a Stripe subscription status or "none".');
  }
  if (!Array.isArray(input.subscriptions) || !Array.isArray(input.dunningCases)) {
    throw invalidInput('subscriptions and dunningCases must be arrays (possibly empty).');
  }
  if (input.events !== undefined) {
    if (!Array.isArray(input.events) || input.event !== undefined) {
      throw invalidInput('events must be an array, and a projection carries event or events.');
    }
    if (input.events.length > MAX_EVENTS_PER_PROJECTION) {
      throw invalidInput(`events holds at most ${MAX_EVENTS_PER_PROJECTION} events per call.`);
    }
  }
  for (const event of eventsOf(input)) validateEvent(event);
}

function validateEvent(event: AppliedEventRecord): void {
  requireText(event?.eventId, 'event.eventId', 255);
  requireText(event.type, 'event.type', 255);
  requireNumber(event.created, 'event.created', 1);
  if (!OUTCOMES.includes(event.outcome)) {
    throw invalidInput(`event.outcome must be one of ${OUTCOMES.join(', ')}.`);
  }
}

function unixToDate(seconds: number | null): Date | null {
  return seconds === null ? null : new Date(seconds * 1000);
}
