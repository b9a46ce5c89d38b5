/**
 * The read view of a customer, derived from workflow state. Pure: the workflow computes it after
 * each change and the projection stores it as is.
 */
import { deriveAccess, isEnded } from '../../src/domain/access';
import type { CustomerView, DunningView } from '../../src/domain/customer-view';
import { isOpen, nextDueAt } from '../dunning/case';
import type { CustomerState, DunningCase, SubscriptionState } from './state';

/**
 * Subscriptions from oldest to newest. Stripe's `created` orders them first, so the answer does
 * not depend on the order their events arrived in; then first sight, then ID for a total order.
 */
export function subscriptionsByAge(state: CustomerState): SubscriptionState[] {
  return Object.values(state.subscriptions).sort(
    (a, b) =>
      (a.firstEventCreated ?? Number.MAX_SAFE_INTEGER) -
        (b.firstEventCreated ?? Number.MAX_SAFE_INTEGER) ||
      a.firstSeenAt - b.firstSeenAt ||
      a.id.localeCompare(b.id),
  );
}

/** The most recent subscription that has not ended, else the most recent one. */
export function currentSubscription(state: CustomerState): SubscriptionState | null {
  const all = subscriptionsByAge(state);
  const live = all.filter((s) => !isEnded(s.status));
  return live[live.length - 1] ?? all[all.length - 1] ?? null;
}

function casesOf(state: CustomerState, subscriptionId: string | null): DunningCase[] {
  return Object.values(state.dunning)
    .filter((c) => c.subscriptionId === subscriptionId || c.subscriptionId === null)
    .sort((a, b) => a.startedAt - b.startedAt || a.invoiceId.localeCompare(b.invoiceId));
}

/** The open case that governs the current subscription, the most recent first. */
export function openCaseFor(
  state: CustomerState,
  subscriptionId: string | null,
): DunningCase | null {
  const open = casesOf(state, subscriptionId).filter(isOpen);
  return open[open.length - 1] ?? null;
}

/** The open case the billing-team controls act on: the current subscription's, else any. */
export function controlledCase(state: CustomerState): DunningCase | null {
  const current = currentSubscription(state);
  const own = openCaseFor(state, current?.id ?? null);
  if (own) return own;
  const open = Object.values(state.dunning)
    .filter(isOpen)
    .sort((a, b) => a.startedAt - b.startedAt);
  return open[open.length - 1] ?? null;
}

export function hasLiveSubscription(state: CustomerState): boolean {
  return Object.values(state.subscriptions).some((s) => !isEnded(s.status));
}

export function hasOpenCase(state: CustomerState): boolean {
  return Object.values(state.dunning).some(isOpen);
}

function toDunningView(dunning: DunningCase): DunningView {
  const next = nextDueAt(dunning);
  return {
    invoiceId: dunning.invoiceId,
    stage: dunning.stage,
    attempt: dunning.attempt,
    startedAt: new Date(dunning.startedAt).toISOString(),
    nextActionAt: next === null ? null : new Date(next).toISOString(),
  };
}

/**
 * `dunning` shows only an open case. Closed cases stay in state and in their own collection; the
 * view leaves them out so that it ends the same whatever order Stripe delivered events in (a
 * failure that arrives after its invoice's success opens nothing at all).
 */
export function toCustomerView(state: CustomerState): CustomerView {
  const subscription = currentSubscription(state);
  const open = openCaseFor(state, subscription?.id ?? null);
  const latest = casesOf(state, subscription?.id ?? null);
  const waived = latest[latest.length - 1]?.outcome === 'waived';
  const status = subscription?.status ?? 'none';
  return {
    customerId: state.customerId,
    accountId: state.accountId,
    subscriptionId: subscription?.id ?? null,
    status,
    access: deriveAccess({
      status,
      openDunningStage: open?.stage ?? null,
      waived,
    }),
    currentPeriodEnd:
      subscription?.currentPeriodEnd != null
        ? new Date(subscription.currentPeriodEnd * 1000).toISOString()
        : null,
    cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
    dunning: open ? toDunningView(open) : null,
  };
}
