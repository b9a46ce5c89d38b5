/**
 * What Citrus Host's app and the billing team read about a customer.
 *
 * The workflow computes this view after every change and hands it to the projection activity,
 * which stores it in MongoDB; the read API serves it as is. Workflow-safe: types only.
 */
import type { SubscriptionStatus } from './stripe-events';

/** Whether the customer may use their hosting. */
export type Access = 'active' | 'grace' | 'suspended' | 'none';

/**
 * Where a dunning case stands. `none` is used only for the search attribute when no case is open.
 * The last four are terminal.
 */
export type DunningStage =
  | 'none'
  | 'payment_failed'
  | 'reminded'
  | 'suspended'
  | 'canceled'
  | 'recovered'
  | 'waived'
  | 'closed';

export interface DunningView {
  invoiceId: string;
  stage: DunningStage;
  attempt: number;
  /** ISO date of the first failure, from which every step is offset. */
  startedAt: string;
  /** ISO date of the next scheduled step, or null when nothing more is scheduled. */
  nextActionAt: string | null;
}

export interface CustomerView {
  customerId: string;
  accountId: string | null;
  subscriptionId: string | null;
  status: SubscriptionStatus | 'none';
  access: Access;
  /** ISO date. */
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  dunning: DunningView | null;
}

/**
 * How an event ended. `applied` changed state; `stale` was older than what was already applied;
 * `ignored` was recorded and deliberately changed nothing (for example a one-off payment checkout,
 * or a failure for an invoice already paid).
 */
export type EventOutcome = 'applied' | 'stale' | 'ignored';

export interface AppliedEventView {
  eventId: string;
  type: string;
  /** ISO date of Stripe's `created`. */
  created: string;
  /** ISO date of when the workflow applied it. */
  appliedAt: string;
  outcome: EventOutcome;
}
