/**
 * The event rules of the customer workflow as one pure reducer: (state, event, context) → the next
 * state, the event's outcome, what changed, and the side effects the workflow must run.
 * It does no I/O; anything it needs from outside (the dunning policy, Stripe's current copy of a
 * subscription) the workflow fetches first and passes in `context`; `requirementsOf` says what.
 */
import type { DunningPolicy } from '../../src/config';
import type { EventOutcome } from '../../src/domain/customer-view';
import type {
  CheckoutCompletedEvent,
  InvoiceEvent,
  NormalizedEvent,
  SubscriptionChangedEvent,
  SubscriptionSnapshot,
} from '../../src/domain/stripe-events';
import { advanceAttempt, closeCase, isOpen, openCase } from '../dunning/case';
import { decideSubscriptionEvent } from './ordering';
import type { CustomerState, DunningCase, SubscriptionState } from './state';

/** Paid invoice IDs remembered, so a late failure of a paid invoice opens nothing. */
export const PAID_INVOICES_KEPT = 200;
/** Closed dunning cases kept in state (their documents stay in MongoDB). */
export const CLOSED_CASES_KEPT = 50;

export interface ApplyContext {
  /** Workflow time, ms. */
  now: number;
  /** Required when `requirementsOf` says `policy`. */
  policy?: DunningPolicy;
  /** Stripe's current copy, required when `requirementsOf` names a subscription to re-read. */
  stripeSubscription?: SubscriptionSnapshot;
}

export type Effect = { kind: 'send_recovered'; invoiceId: string };

export interface ApplyResult {
  state: CustomerState;
  outcome: EventOutcome;
  subscriptions: SubscriptionState[];
  dunningCases: DunningCase[];
  effects: Effect[];
  /** A short, readable description of what happened, for summaries and logs. */
  summary: string;
}

export interface Requirements {
  policy: boolean;
  /** The subscription whose current state must be read from Stripe, or null. */
  fetchSubscriptionId: string | null;
}

export class MissingContextError extends Error {
  constructor(what: string) {
    super(`applyEvent needs ${what} in its context; call requirementsOf(state, event) first.`);
    this.name = 'MissingContextError';
  }
}

export function requirementsOf(state: CustomerState, event: NormalizedEvent): Requirements {
  if (event.type === 'invoice.payment_failed') {
    return {
      policy: failureOpensCase(state, event),
      fetchSubscriptionId: null,
    };
  }
  if (
    event.type === 'customer.subscription.created' ||
    event.type === 'customer.subscription.updated' ||
    event.type === 'customer.subscription.deleted'
  ) {
    const current = state.subscriptions[event.subscription.id];
    const decision = decideSubscriptionEvent(current, event);
    return {
      policy: false,
      fetchSubscriptionId: decision === 'ask_stripe' ? event.subscription.id : null,
    };
  }
  return { policy: false, fetchSubscriptionId: null };
}

export function applyEvent(
  state: CustomerState,
  event: NormalizedEvent,
  context: ApplyContext,
): ApplyResult {
  switch (event.type) {
    case 'checkout.session.completed':
      return applyCheckout(state, event, context.now);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return applySubscription(state, event, context);
    case 'invoice.payment_succeeded':
      return applyPaymentSucceeded(state, event, context.now);
    case 'invoice.payment_failed':
      return applyPaymentFailed(state, event, context);
  }
}

function unchanged(state: CustomerState, outcome: EventOutcome, summary: string): ApplyResult {
  return {
    state,
    outcome,
    subscriptions: [],
    dunningCases: [],
    effects: [],
    summary,
  };
}

function applyCheckout(
  state: CustomerState,
  event: CheckoutCompletedEvent,
  now: number,
): ApplyResult {
  if (event.mode !== 'subscription') {
    return unchanged(state, 'ignored', `${event.mode} checkout recorded`);
  }
  const accountId = event.accountId ?? state.accountId;
  const subscriptions = { ...state.subscriptions };
  const touched: SubscriptionState[] = [];
  if (event.subscriptionId !== null) {
    const existing = subscriptions[event.subscriptionId];
    // Checkout may arrive before the subscription's own events: record a placeholder that any
    // subscription event overrides (it has no applied event yet).
    const next: SubscriptionState = existing
      ? {
          ...existing,
          firstEventCreated: minCreated(existing.firstEventCreated, event.created),
        }
      : {
          id: event.subscriptionId,
          status: 'incomplete',
          priceId: null,
          productId: null,
          planInterval: null,
          currentPeriodEnd: null,
          cancelAtPeriodEnd: false,
          lastEventId: null,
          lastEventType: null,
          lastEventCreated: 0,
          firstSeenAt: now,
          lastPreviousStatus: null,
          firstEventCreated: event.created,
        };
    subscriptions[next.id] = next;
    touched.push(next);
  }
  return {
    state: { ...state, accountId, subscriptions },
    outcome: 'applied',
    subscriptions: touched,
    dunningCases: [],
    effects: [],
    summary: `account ${accountId ?? 'unknown'} linked`,
  };
}

function minCreated(known: number | undefined, created: number): number {
  return known === undefined ? created : Math.min(known, created);
}

function applySubscription(
  state: CustomerState,
  event: SubscriptionChangedEvent,
  context: ApplyContext,
): ApplyResult {
  const id = event.subscription.id;
  const current = state.subscriptions[id];
  const decision = decideSubscriptionEvent(current, event);
  if (decision === 'stale') {
    if (current === undefined) return unchanged(state, 'stale', `${id} stale`);
    // Only the ordering metadata moves; the subscription's fields stay as they are.
    const noted = {
      ...current,
      firstEventCreated: minCreated(current.firstEventCreated, event.created),
    };
    return {
      ...unchanged(
        { ...state, subscriptions: { ...state.subscriptions, [id]: noted } },
        'stale',
        `${id} stale (already at ${current.status})`,
      ),
    };
  }
  let snapshot = event.subscription;
  if (decision === 'ask_stripe') {
    if (!context.stripeSubscription) throw new MissingContextError("Stripe's copy of " + id);
    snapshot = context.stripeSubscription;
  }
  const status = event.type === 'customer.subscription.deleted' ? 'canceled' : snapshot.status;
  const next: SubscriptionState = {
    id,
    status,
    priceId: snapshot.priceId,
    productId: snapshot.productId,
    planInterval: snapshot.planInterval,
    currentPeriodEnd: snapshot.currentPeriodEnd,
    cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
    lastEventId: event.id,
    lastEventType: event.type,
    lastEventCreated: Math.max(event.created, current?.lastEventCreated ?? 0),
    firstSeenAt: current?.firstSeenAt ?? context.now,
    lastPreviousStatus: decision === 'ask_stripe' ? null : event.previousStatus,
    firstEventCreated: minCreated(current?.firstEventCreated, event.created),
  };

  const dunning = { ...state.dunning };
  const closed: DunningCase[] = [];
  for (const dunningCase of Object.values(state.dunning)) {
    if (!isOpen(dunningCase) || dunningCase.subscriptionId !== id) continue;
    const outcome =
      status === 'canceled'
        ? 'subscription_deleted'
        : reactivates(event, status, dunningCase)
          ? 'reactivated'
          : null;
    if (outcome === null) continue;
    const closedCase = closeCase(dunningCase, outcome, context.now);
    dunning[closedCase.invoiceId] = closedCase;
    closed.push(closedCase);
  }
  return {
    state: {
      ...state,
      subscriptions: { ...state.subscriptions, [id]: next },
      dunning,
    },
    outcome: 'applied',
    subscriptions: [next],
    dunningCases: closed,
    effects: [],
    summary: `${id} → ${status}${decision === 'ask_stripe' ? ' (tie settled by Stripe)' : ''}`,
  };
}

/**
 * An applied update to active or trialing ends dunning when it is newer than the failure. In the
 * failure's own second, only an update that says it came from past_due or unpaid counts: a
 * renewal's `active` update is often stamped with the same second as the failed charge.
 */
function reactivates(
  event: SubscriptionChangedEvent,
  status: SubscriptionState['status'],
  dunningCase: DunningCase,
): boolean {
  if (status !== 'active' && status !== 'trialing') return false;
  if (event.created > dunningCase.failedEventCreated) return true;
  return (
    event.created === dunningCase.failedEventCreated &&
    (event.previousStatus === 'past_due' || event.previousStatus === 'unpaid')
  );
}

function applyPaymentSucceeded(
  state: CustomerState,
  event: InvoiceEvent,
  now: number,
): ApplyResult {
  const invoiceId = event.invoice.id;
  if (state.paidInvoices.includes(invoiceId)) {
    return unchanged(state, 'ignored', `${invoiceId} already paid`);
  }
  const paidInvoices = [...state.paidInvoices, invoiceId].slice(-PAID_INVOICES_KEPT);
  const existing = state.dunning[invoiceId];
  if (!existing || !isOpen(existing)) {
    return {
      ...unchanged({ ...state, paidInvoices }, 'applied', `${invoiceId} paid`),
    };
  }
  const recovered = closeCase(existing, 'recovered', now);
  return {
    state: {
      ...state,
      paidInvoices,
      dunning: { ...state.dunning, [invoiceId]: recovered },
    },
    outcome: 'applied',
    subscriptions: [],
    dunningCases: [recovered],
    effects: [{ kind: 'send_recovered', invoiceId }],
    summary: `${invoiceId} paid, dunning recovered`,
  };
}

/**
 * Whether this failure would open a new case. Not for a paid invoice, not for a subscription that
 * has ended, and not when the subscription was already seen active again after this failure
 * (the failure arrived late).
 */
function failureOpensCase(state: CustomerState, event: InvoiceEvent): boolean {
  const invoice = event.invoice;
  if (state.paidInvoices.includes(invoice.id) || state.dunning[invoice.id]) return false;
  const subscription = invoice.subscriptionId ? state.subscriptions[invoice.subscriptionId] : null;
  if (!subscription) return true;
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired')
    return false;
  const activeAgain = subscription.status === 'active' || subscription.status === 'trialing';
  return !(activeAgain && subscription.lastEventCreated > event.created);
}

function applyPaymentFailed(
  state: CustomerState,
  event: InvoiceEvent,
  context: ApplyContext,
): ApplyResult {
  const invoiceId = event.invoice.id;
  const existing = state.dunning[invoiceId];
  if (existing) {
    if (!isOpen(existing))
      return unchanged(state, 'ignored', `${invoiceId} dunning already closed`);
    const advanced = advanceAttempt(existing, event);
    if (advanced === existing) return unchanged(state, 'stale', `${invoiceId} older attempt`);
    return {
      state: { ...state, dunning: { ...state.dunning, [invoiceId]: advanced } },
      outcome: 'applied',
      subscriptions: [],
      dunningCases: [advanced],
      effects: [],
      summary: `${invoiceId} attempt ${advanced.attempt}`,
    };
  }
  if (!failureOpensCase(state, event)) {
    return unchanged(state, 'ignored', `${invoiceId} failure opens nothing`);
  }
  if (!context.policy) throw new MissingContextError('the dunning policy');
  const opened = openCase(event, context.policy, context.now);
  const dunning = pruneClosedCases({ ...state.dunning, [invoiceId]: opened });
  return {
    state: { ...state, dunning },
    outcome: 'applied',
    subscriptions: [],
    dunningCases: [opened],
    effects: [],
    summary: `${invoiceId} failed, dunning opened`,
  };
}

function pruneClosedCases(cases: Record<string, DunningCase>): Record<string, DunningCase> {
  const closed = Object.values(cases)
    .filter((c) => !isOpen(c))
    .sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0));
  const drop = new Set(
    closed.slice(0, Math.max(0, closed.length - CLOSED_CASES_KEPT)).map((c) => c.invoiceId),
  );
  return Object.fromEntries(Object.entries(cases).filter(([id]) => !drop.has(id)));
}
