/**
 * Event bursts for the drills: a plausible lifecycle per customer (checkout, subscription
 * created, first invoice payment succeeded), each event with a fresh ID and increasing `created`.
 */
import {
  checkoutSessionCompleted,
  invoiceEvent,
  nowSeconds,
  stripeId,
  subscriptionEvent,
  type StripeEventFixture,
} from '../../support/stripe-fixtures';

export interface Burst {
  customerIds: string[];
  events: StripeEventFixture[];
}

export function lifecycleBurst(customers: number): Burst {
  const customerIds: string[] = [];
  const events: StripeEventFixture[] = [];
  const start = nowSeconds() - 600;
  for (let i = 0; i < customers; i++) {
    const customer = stripeId('cus');
    const subscriptionId = stripeId('sub');
    customerIds.push(customer);
    events.push(
      checkoutSessionCompleted({ customer, subscription: subscriptionId, created: start }),
      subscriptionEvent('customer.subscription.created', {
        customer,
        subscriptionId,
        created: start + 1,
      }),
      invoiceEvent('invoice.payment_succeeded', { customer, subscriptionId, created: start + 2 }),
    );
  }
  return { customerIds, events };
}

/** A customer with an active subscription whose first renewal payment just failed. */
export function dunningStart(): {
  customerId: string;
  subscriptionId: string;
  invoiceId: string;
  events: StripeEventFixture[];
} {
  const customerId = stripeId('cus');
  const subscriptionId = stripeId('sub');
  const invoiceId = stripeId('in');
  const start = nowSeconds() - 60;
  return {
    customerId,
    subscriptionId,
    invoiceId,
    events: [
      subscriptionEvent('customer.subscription.created', {
        customer: customerId,
        subscriptionId,
        created: start,
      }),
      invoiceEvent('invoice.payment_failed', {
        customer: customerId,
        subscriptionId,
        invoiceId,
        created: start + 1,
      }),
    ],
  };
}
