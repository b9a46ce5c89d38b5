/**
 * One realistic event of each handled type for one customer, as `npm run stripe:send` sends it.
 * The IDs tie the events together the way Stripe does: the checkout session names the
 * subscription, the invoices name the subscription and the customer.
 */
import {
  type ApiShape,
  checkoutSessionCompleted,
  invoiceEvent,
  type StripeEventFixture,
  subscriptionEvent,
} from '../../src/dev/stripe-event-builders';
import {
  HANDLED_EVENT_TYPES,
  type HandledEventType,
  type SubscriptionStatus,
} from '../../src/domain/stripe-events';

export const EVENT_TYPES: readonly HandledEventType[] = HANDLED_EVENT_TYPES;

/** The Stripe objects one CLI run is about. */
export interface CustomerIds {
  customer: string;
  subscription: string;
  /** The first invoice (or the only one, for a single event); `--invoice` sets it. */
  invoice: string;
  /** The next period's invoice, which scenarios let fail: a new invoice, as in Stripe. */
  renewalInvoice: string;
}

export interface BuildOptions {
  shape: ApiShape;
  /** Unix seconds. */
  created: number;
  /** Subscription status for subscription events; the type's usual status when absent. */
  status?: SubscriptionStatus;
  /** `data.previous_attributes` of a subscription update. */
  previousAttributes?: Record<string, unknown>;
  /** Payment attempt number on invoices, 1 for the first. */
  attemptCount?: number;
  /** Which of the customer's invoices an invoice event is about; the first by default. */
  invoice?: 'first' | 'renewal';
}

export function buildEvent(
  type: HandledEventType,
  ids: CustomerIds,
  options: BuildOptions,
): StripeEventFixture {
  const common = { customer: ids.customer, shape: options.shape, created: options.created };
  switch (type) {
    case 'checkout.session.completed':
      return checkoutSessionCompleted({ ...common, subscription: ids.subscription });
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionEvent(type, {
        ...common,
        subscriptionId: ids.subscription,
        status: options.status,
        previousAttributes:
          options.previousAttributes ??
          (type === 'customer.subscription.updated' ? { cancel_at_period_end: true } : undefined),
      });
    case 'invoice.payment_succeeded':
    case 'invoice.payment_failed':
      return invoiceEvent(type, {
        ...common,
        subscriptionId: ids.subscription,
        invoiceId: options.invoice === 'renewal' ? ids.renewalInvoice : ids.invoice,
        attemptCount: options.attemptCount,
      });
  }
}
