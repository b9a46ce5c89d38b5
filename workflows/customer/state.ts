/**
 * The state one customer workflow keeps, carried across continue-as-new and persisted (as a
 * snapshot) in MongoDB so that a later run can pick up after the workflow completed.
 * Plain JSON only: it travels in payloads.
 */
import type { DunningStage } from '../../src/domain/customer-view';
import type { SubscriptionStatus } from '../../src/domain/stripe-events';

export interface SubscriptionState {
  id: string;
  status: SubscriptionStatus;
  priceId: string | null;
  productId: string | null;
  planInterval: string | null;
  /** Unix seconds. */
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** The event last applied to this subscription: its ID, type and Stripe `created` (s). */
  lastEventId: string | null;
  lastEventType: string | null;
  lastEventCreated: number;
  /** Workflow time (ms) when the subscription was first seen; orders "most recent". */
  firstSeenAt: number;
  /**
   * `previous_attributes.status` of the last applied update, or null. Lets a same-second event
   * be recognised as the predecessor of what was applied (see workflows/customer/ordering.ts).
   */
  lastPreviousStatus?: SubscriptionStatus | null;
  /**
   * Smallest Stripe `created` (s) seen for this subscription. Orders subscriptions by Stripe's
   * clock, so "most recent" does not depend on the order events arrived in.
   */
  firstEventCreated?: number;
}

export type DunningStepName = 'notice' | `reminder-${number}` | 'suspend' | 'cancel';

export interface DunningStep {
  name: DunningStepName;
  /** Workflow time (ms) the step is due. */
  dueAt: number;
  /** Workflow time (ms) the step ran, or null while pending. */
  doneAt: number | null;
}

export type DunningOutcome =
  'open' | 'recovered' | 'reactivated' | 'waived' | 'canceled' | 'subscription_deleted';

export interface DunningCase {
  invoiceId: string;
  subscriptionId: string | null;
  hostedInvoiceUrl: string | null;
  amountDue: number;
  currency: string;
  /** Stripe's `attempt_count`; never goes backwards. */
  attempt: number;
  /** Unix seconds of Stripe's next retry, when known. */
  nextPaymentAttempt: number | null;
  /** Workflow time (ms) of the first failure; every step is offset from it. */
  startedAt: number;
  /** Stripe `created` (s) of the first failure event; orders later subscription events. */
  failedEventCreated: number;
  stage: DunningStage;
  steps: DunningStep[];
  /** Total grace extension granted by the billing team, in ms. */
  graceExtensionMs: number;
  outcome: DunningOutcome;
  closedAt: number | null;
}

export interface CustomerState {
  customerId: string;
  accountId: string | null;
  subscriptions: Record<string, SubscriptionState>;
  /** Paid invoice IDs, most recent last, bounded. */
  paidInvoices: string[];
  /** Dunning cases by invoice ID; closed ones are kept (bounded) so a step is never resent. */
  dunning: Record<string, DunningCase>;
  /** Dedupe window: [eventId, applied workflow time ms], oldest first, bounded in count and age. */
  appliedEvents: Array<[string, number]>;
  /** Monotonic watermark of state changes; MongoDB writes with a lower one are ignored. */
  seq: number;
  /** Workflow time (ms) of the last applied event or control. */
  lastActivityAt: number;
}

export function emptyCustomerState(customerId: string, now: number): CustomerState {
  return {
    customerId,
    accountId: null,
    subscriptions: {},
    paidInvoices: [],
    dunning: {},
    appliedEvents: [],
    seq: 0,
    lastActivityAt: now,
  };
}
