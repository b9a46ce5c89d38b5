/**
 * Whether a subscription event is newer than what was already applied for that subscription.
 *
 * Stripe delivers events out of order and its `created` has whole-second resolution, so the rule is:
 * 1. A subscription that is canceled stays canceled: Stripe never revives one. Any later-arriving
 *    event for it is stale; a `.deleted` event wins over anything that is not canceled yet.
 * 2. Otherwise the later `created` wins; an older one is stale.
 * 3. On a tie (same second), the object's own state decides:
 *    a. `.created` loses to `.updated` (the update necessarily came after the creation);
 *    b. an update whose `previous_attributes.status` equals the applied status is its successor;
 *    c. an event whose status equals the applied update's previous status is its predecessor;
 *    d. an event that would change nothing is stale.
 * 4. If that still cannot decide, the workflow re-reads the subscription from Stripe
 *    (`fetchSubscription`) and applies Stripe's current state, which is newer than both.
 */
import type { SubscriptionChangedEvent } from '../../src/domain/stripe-events';
import type { SubscriptionState } from './state';

export type OrderingDecision = 'apply' | 'stale' | 'ask_stripe';

export function decideSubscriptionEvent(
  current: SubscriptionState | undefined,
  event: SubscriptionChangedEvent,
): OrderingDecision {
  // A placeholder recorded from checkout has no applied event yet.
  if (current === undefined || current.lastEventId === null) return 'apply';
  if (current.status === 'canceled') return 'stale';
  if (event.type === 'customer.subscription.deleted') return 'apply';
  if (current.status === 'incomplete_expired') return 'stale';

  if (event.created > current.lastEventCreated) return 'apply';
  if (event.created < current.lastEventCreated) return 'stale';

  const incoming = event.subscription;
  if (incoming.status === 'canceled') return 'apply';
  if (
    event.type === 'customer.subscription.created' &&
    current.lastEventType === 'customer.subscription.updated'
  ) {
    return 'stale';
  }
  if (
    event.type === 'customer.subscription.updated' &&
    current.lastEventType === 'customer.subscription.created'
  ) {
    return 'apply';
  }
  if (event.previousStatus !== null && event.previousStatus === current.status) {
    return incoming.status === current.status ? 'ask_stripe' : 'apply';
  }
  const previous = current.lastPreviousStatus ?? null;
  if (previous !== null && previous === incoming.status && previous !== current.status) {
    return 'stale';
  }
  if (sameFields(current, event)) return 'stale';
  return 'ask_stripe';
}

function sameFields(current: SubscriptionState, event: SubscriptionChangedEvent): boolean {
  const s = event.subscription;
  return (
    current.status === s.status &&
    current.priceId === s.priceId &&
    current.productId === s.productId &&
    current.planInterval === s.planInterval &&
    current.currentPeriodEnd === s.currentPeriodEnd &&
    current.cancelAtPeriodEnd === s.cancelAtPeriodEnd
  );
}
