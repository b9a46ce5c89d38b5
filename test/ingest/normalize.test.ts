import { InvalidEventError, MalformedCustomerIdError } from '../../src/ingest/errors';
import { normalizeStripeEvent, type NormalizeResult } from '../../src/ingest/normalize';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import {
  checkoutSessionCompleted,
  invoiceEvent,
  stripeEvent,
  stripeId,
  subscriptionEvent,
} from '../support/stripe-fixtures';

function normalized(result: NormalizeResult): NormalizedEvent {
  if (result.kind !== 'event') throw new Error(`expected an event, got ignored: ${result.reason}`);
  return result.event;
}

describe('normalizeStripeEvent', () => {
  describe('subscription events', () => {
    it('reads the current period from the subscription item in the current API shape', () => {
      const raw = subscriptionEvent('customer.subscription.updated', {
        shape: 'current',
        currentPeriodEnd: 1_800_000_000,
      });
      expect(raw.data.object).not.toHaveProperty('current_period_end');
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toMatchObject({
        subscription: {
          currentPeriodEnd: 1_800_000_000,
          priceId: 'price_citrus_pro_monthly',
        },
      });
    });

    it('reads the current period from the top level in the legacy API shape', () => {
      const raw = subscriptionEvent('customer.subscription.updated', {
        shape: 'legacy',
        currentPeriodEnd: 1_700_000_000,
      });
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toMatchObject({
        subscription: { currentPeriodEnd: 1_700_000_000 },
      });
    });

    it('keeps the status, plan, cancellation flag and the previous status of an update', () => {
      const subscriptionId = stripeId('sub');
      const raw = subscriptionEvent('customer.subscription.updated', {
        subscriptionId,
        status: 'past_due',
        cancelAtPeriodEnd: true,
        interval: 'year',
        previousAttributes: { status: 'active' },
      });
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toEqual({
        id: raw.id,
        type: 'customer.subscription.updated',
        created: raw.created,
        apiVersion: raw.api_version,
        livemode: false,
        customerId: raw.data.object.customer,
        source: 'webhook',
        subscription: {
          id: subscriptionId,
          status: 'past_due',
          priceId: 'price_citrus_pro_monthly',
          productId: 'prod_citrus_pro',
          planInterval: 'year',
          currentPeriodEnd: expect.any(Number),
          cancelAtPeriodEnd: true,
          canceledAt: null,
        },
        previousStatus: 'active',
      });
    });

    it('rejects a subscription without an ID as an invalid event', () => {
      const raw = subscriptionEvent('customer.subscription.created');
      delete raw.data.object.id;
      expect(() => normalizeStripeEvent(raw)).toThrow(InvalidEventError);
    });
  });

  describe('invoice events', () => {
    it('reads the subscription under parent.subscription_details in the current API shape', () => {
      const subscriptionId = stripeId('sub');
      const raw = invoiceEvent('invoice.payment_failed', {
        shape: 'current',
        subscriptionId,
      });
      expect(raw.data.object).not.toHaveProperty('subscription');
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toMatchObject({ invoice: { subscriptionId } });
    });

    it('reads invoice.subscription in the legacy API shape', () => {
      const subscriptionId = stripeId('sub');
      const raw = invoiceEvent('invoice.payment_failed', {
        shape: 'legacy',
        subscriptionId,
      });
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toMatchObject({ invoice: { subscriptionId } });
    });

    it('keeps the attempt, the next retry, the amount and the hosted invoice link', () => {
      const raw = invoiceEvent('invoice.payment_failed', {
        attemptCount: 3,
        nextPaymentAttempt: 1_800_000_000,
        amountDue: 4200,
      });
      const event = normalized(normalizeStripeEvent(raw));
      expect(event).toMatchObject({
        invoice: {
          id: raw.data.object.id,
          attemptCount: 3,
          nextPaymentAttempt: 1_800_000_000,
          amountDue: 4200,
          currency: 'usd',
          hostedInvoiceUrl: raw.data.object.hosted_invoice_url,
        },
      });
    });

    it('gives a one-off invoice without a subscription a null subscription ID', () => {
      const raw = invoiceEvent('invoice.payment_succeeded', {
        subscriptionId: null,
      });
      expect(normalized(normalizeStripeEvent(raw))).toMatchObject({
        invoice: { subscriptionId: null },
      });
    });

    it('drops the customer e-mail address and name', () => {
      const event = normalized(normalizeStripeEvent(invoiceEvent('invoice.payment_failed')));
      expect(JSON.stringify(event)).not.toMatch(/@|Jenny/);
    });
  });

  describe('checkout sessions', () => {
    it('takes the account from client_reference_id', () => {
      const raw = checkoutSessionCompleted({ clientReferenceId: 'acct_42' });
      expect(normalized(normalizeStripeEvent(raw))).toMatchObject({
        accountId: 'acct_42',
        mode: 'subscription',
        subscriptionId: raw.data.object.subscription,
      });
    });

    it('falls back to metadata.account_id when there is no client_reference_id', () => {
      const raw = checkoutSessionCompleted({
        clientReferenceId: null,
        metadata: { account_id: 'acct_77' },
      });
      expect(normalized(normalizeStripeEvent(raw))).toMatchObject({
        accountId: 'acct_77',
      });
    });

    it('ignores a guest checkout that has no customer', () => {
      const raw = checkoutSessionCompleted({ customer: null, mode: 'payment' });
      expect(normalizeStripeEvent(raw)).toEqual({
        kind: 'ignored',
        reason: 'no_customer',
        eventId: raw.id,
        type: 'checkout.session.completed',
      });
    });
  });

  describe('customer references', () => {
    it('accepts an expanded customer object', () => {
      const customer = stripeId('cus');
      const raw = subscriptionEvent('customer.subscription.created', {
        customer: { id: customer, object: 'customer', email: 'x@example.com' },
      });
      expect(normalized(normalizeStripeEvent(raw)).customerId).toBe(customer);
    });

    it.each([
      ['a non-cus prefix', 'acct_123'],
      ['a path', 'cus_../x'],
      ['an empty suffix', 'cus_'],
      ['a number', 42],
      ['an object without an id', { object: 'customer' }],
    ])('rejects %s as a malformed customer ID', (_label, customer) => {
      const raw = checkoutSessionCompleted();
      raw.data.object.customer = customer;
      expect(() => normalizeStripeEvent(raw)).toThrow(MalformedCustomerIdError);
    });
  });

  it('ignores an unhandled type before looking at its object', () => {
    const raw = stripeEvent('customer.created', {
      id: 'cus_1',
      customer: 'not-checked',
    });
    expect(normalizeStripeEvent(raw)).toMatchObject({
      kind: 'ignored',
      reason: 'unhandled_type',
    });
  });

  it('marks events from reconciliation with their source', () => {
    const raw = invoiceEvent('invoice.payment_succeeded');
    expect(normalized(normalizeStripeEvent(raw, 'reconciliation')).source).toBe('reconciliation');
  });

  it('names the missing fields, never their values, in an invalid event', () => {
    const raw = invoiceEvent('invoice.payment_failed');
    delete raw.data.object.amount_due;
    expect(() => normalizeStripeEvent(raw)).toThrow(/data\.object\.amount_due/);
  });
});
