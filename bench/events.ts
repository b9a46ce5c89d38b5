/**
 * Realistic, pre-signed Stripe deliveries for the benchmark: each customer goes through a
 * checkout, a subscription, paid and failed invoices and plan updates, with `created` rising per
 * customer so the workflow applies every event rather than calling it stale.
 */
import {
  checkoutSessionCompleted,
  invoiceEvent,
  nowSeconds,
  signedRequest,
  stripeId,
  subscriptionEvent,
  type StripeEventFixture,
} from '../test/support/stripe-fixtures';

export interface Delivery {
  eventId: string;
  customerId: string;
  body: string;
  signature: string;
}

/** The n-th event of one customer's life; cycles after the tenth. */
function lifeEvent(
  customerId: string,
  subscriptionId: string,
  index: number,
  created: number,
): StripeEventFixture {
  const base = { customer: customerId, created };
  switch (index % 10) {
    case 0:
      return checkoutSessionCompleted({ ...base, subscription: subscriptionId });
    case 1:
      return subscriptionEvent('customer.subscription.created', { ...base, subscriptionId });
    case 2:
    case 8:
      return invoiceEvent('invoice.payment_succeeded', { ...base, subscriptionId });
    case 7:
      return invoiceEvent('invoice.payment_failed', { ...base, subscriptionId });
    default:
      return subscriptionEvent('customer.subscription.updated', {
        ...base,
        subscriptionId,
        cancelAtPeriodEnd: index % 10 === 5,
        previousAttributes: { cancel_at_period_end: index % 10 !== 5 },
      });
  }
}

/**
 * An endless stream for duration-bound runs: fresh customers, each with `perCustomer` events,
 * interleaved in groups of `customers`; bodies are signed as they are taken, so a long run never
 * sends a signature older than the tolerance and never repeats an event.
 */
export function deliveryStream(
  customers: number,
  perCustomer: number,
  secret: string,
): () => Delivery {
  let batch: Delivery[] = [];
  let index = 0;
  return () => {
    if (index >= batch.length) {
      batch = deliveries(customers, perCustomer, secret);
      index = 0;
    }
    return batch[index++] as Delivery;
  };
}

/**
 * `customers` customers with `perCustomer` events each, interleaved round-robin (event k of every
 * customer before event k+1 of any), the order in which a busy account would see them.
 */
export function deliveries(customers: number, perCustomer: number, secret: string): Delivery[] {
  const start = nowSeconds() - 10 * perCustomer;
  const people = Array.from({ length: customers }, () => ({
    customerId: stripeId('cus'),
    subscriptionId: stripeId('sub'),
  }));
  const out: Delivery[] = [];
  for (let k = 0; k < perCustomer; k++) {
    for (const person of people) {
      const event = lifeEvent(person.customerId, person.subscriptionId, k, start + k * 10);
      const { body, headers } = signedRequest(event, secret);
      out.push({
        eventId: event.id,
        customerId: person.customerId,
        body,
        signature: headers['stripe-signature'],
      });
    }
  }
  return out;
}
