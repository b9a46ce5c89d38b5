/**
 * A sanity check of signalled events. A signal cannot be rejected, and throwing in its handler
 * would fail the workflow task over and over, so a malformed event is dropped and logged instead.
 */
import {
  isHandledEventType,
  isSubscriptionStatus,
  type NormalizedEvent,
} from '../../src/domain/stripe-events';

/** Null when the event is usable, else what is wrong with it. */
export function eventProblem(event: NormalizedEvent, customerId: string): string | null {
  if (typeof event !== 'object' || event === null) return 'not an object';
  if (typeof event.id !== 'string' || event.id === '') return 'id is missing';
  if (!isHandledEventType(event.type)) return `type ${String(event.type)} is not handled`;
  if (event.customerId !== customerId) return 'customerId names another customer';
  if (typeof event.created !== 'number' || !Number.isFinite(event.created)) {
    return 'created is not a number';
  }
  switch (event.type) {
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      if (typeof event.subscription?.id !== 'string') return 'subscription.id is missing';
      if (!isSubscriptionStatus(event.subscription.status)) return 'subscription.status is unknown';
      return null;
    case 'invoice.payment_succeeded':
    case 'invoice.payment_failed':
      return typeof event.invoice?.id === 'string' ? null : 'invoice.id is missing';
    case 'checkout.session.completed':
      return null;
  }
}
