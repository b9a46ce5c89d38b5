import { ApplicationFailure } from '@temporalio/common';
import {
  cancelSubscription,
  fetchSubscription,
  retryInvoicePayment,
} from '../../activities/stripe-actions';
import { INVALID_INPUT_ERROR } from '../../activities/invalid-input';
import { createLogger } from '../../src/logging/logger';
import type { StripeApi } from '../../src/stripe/api';
import { createStripeClient } from '../../src/stripe/client';
import type { SubscriptionLike } from '../../src/stripe/subscription-snapshot';
import { testStack } from '../support/stack-env';

const logger = createLogger({ level: 'silent' });

/** A recorded Stripe call: method and the idempotency key it carried. */
interface Call {
  method: string;
  id: string;
  idempotencyKey?: string;
}

function stripeError(type: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { type, statusCode });
}

interface FakeOptions {
  subscriptionStatus?: string;
  pay?: () => Promise<{ status: 'paid' | 'open' | 'draft' | 'void' | 'uncollectible' }>;
  invoiceStatus?: 'paid' | 'open';
  retrieveError?: Error;
}

/** A Stripe boundary with one subscription and one invoice, recording every call. */
function fakeStripe(options: FakeOptions = {}): StripeApi & { calls: Call[] } {
  const calls: Call[] = [];
  const subscription = (id: string): SubscriptionLike => ({
    id,
    status: options.subscriptionStatus ?? 'past_due',
    cancel_at_period_end: false,
    canceled_at: null,
    items: {
      data: [
        {
          current_period_end: 1_900_000_000,
          price: { id: 'price_1', product: 'prod_1', recurring: { interval: 'month' } },
        },
      ],
    },
  });
  return {
    calls,
    customers: {
      retrieve: async (id) => ({ id, email: null }),
    },
    subscriptions: {
      retrieve: async (id) => {
        calls.push({ method: 'subscriptions.retrieve', id });
        if (options.retrieveError) throw options.retrieveError;
        return subscription(id);
      },
      cancel: async (id, _params, requestOptions) => {
        calls.push({
          method: 'subscriptions.cancel',
          id,
          idempotencyKey: requestOptions.idempotencyKey,
        });
        return { id, status: 'canceled' };
      },
    },
    invoices: {
      retrieve: async (id) => {
        calls.push({ method: 'invoices.retrieve', id });
        return { id, status: options.invoiceStatus ?? 'open' };
      },
      pay: async (id, _params, requestOptions) => {
        calls.push({ method: 'invoices.pay', id, idempotencyKey: requestOptions.idempotencyKey });
        return options.pay ? options.pay() : { status: 'paid' };
      },
    },
  };
}

describe('cancelSubscription at the Stripe boundary', () => {
  it('cancels with the idempotency key when the subscription is still live', async () => {
    const stripe = fakeStripe({ subscriptionStatus: 'past_due' });

    const result = await cancelSubscription(
      { stripe, logger },
      { subscriptionId: 'sub_L1', idempotencyKey: 'in_1:cancel' },
    );

    expect(result).toEqual({ status: 'canceled', alreadyEnded: false });
    expect(stripe.calls).toEqual([
      { method: 'subscriptions.retrieve', id: 'sub_L1' },
      { method: 'subscriptions.cancel', id: 'sub_L1', idempotencyKey: 'in_1:cancel' },
    ]);
  });

  it.each(['canceled', 'unpaid'])(
    'does not call cancel when Stripe already marked it %s',
    async (status) => {
      const stripe = fakeStripe({ subscriptionStatus: status });

      const result = await cancelSubscription(
        { stripe, logger },
        { subscriptionId: 'sub_E1', idempotencyKey: 'k' },
      );

      expect(result).toEqual({ status, alreadyEnded: true });
      expect(stripe.calls.map((c) => c.method)).toEqual(['subscriptions.retrieve']);
    },
  );

  it('fails for good, naming the subscription, when Stripe does not know it', async () => {
    const stripe = fakeStripe({
      retrieveError: stripeError('StripeInvalidRequestError', 404, 'No such subscription'),
    });

    const failure = cancelSubscription(
      { stripe, logger },
      { subscriptionId: 'sub_Gone', idempotencyKey: 'k' },
    );

    await expect(failure).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(failure).rejects.toMatchObject({
      nonRetryable: true,
      type: 'StripeObjectNotFound',
      message: expect.stringContaining('sub_Gone'),
    });
  });

  it('lets a network error through unchanged, so Temporal retries it', async () => {
    const network = stripeError('StripeConnectionError', 0, 'connect ECONNREFUSED');
    const stripe = fakeStripe({ retrieveError: network });

    await expect(
      cancelSubscription({ stripe, logger }, { subscriptionId: 'sub_N1', idempotencyKey: 'k' }),
    ).rejects.toBe(network);
  });

  it('rejects a malformed subscription ID as invalid input', async () => {
    await expect(
      cancelSubscription(
        { stripe: fakeStripe(), logger },
        { subscriptionId: 'cus_123', idempotencyKey: 'k' },
      ),
    ).rejects.toMatchObject({
      type: INVALID_INPUT_ERROR,
      nonRetryable: true,
      message: expect.stringContaining('subscriptionId'),
    });
  });
});

describe('retryInvoicePayment at the Stripe boundary', () => {
  it('reports a paid invoice and passes the idempotency key', async () => {
    const stripe = fakeStripe();

    expect(
      await retryInvoicePayment(
        { stripe, logger },
        { invoiceId: 'in_P1', idempotencyKey: 'in_P1:retry:3' },
      ),
    ).toEqual({
      paid: true,
      invoiceStatus: 'paid',
    });
    expect(stripe.calls[0]).toEqual({
      method: 'invoices.pay',
      id: 'in_P1',
      idempotencyKey: 'in_P1:retry:3',
    });
  });

  it('answers paid: false for a declined card instead of failing', async () => {
    const stripe = fakeStripe({
      pay: () => Promise.reject(stripeError('StripeCardError', 402, 'Your card was declined.')),
      invoiceStatus: 'open',
    });

    expect(
      await retryInvoicePayment({ stripe, logger }, { invoiceId: 'in_D1', idempotencyKey: 'k' }),
    ).toEqual({
      paid: false,
      invoiceStatus: 'open',
    });
  });

  it('answers paid: true when Stripe refuses because the invoice is already paid', async () => {
    const stripe = fakeStripe({
      pay: () =>
        Promise.reject(stripeError('StripeInvalidRequestError', 400, 'Invoice is already paid')),
      invoiceStatus: 'paid',
    });

    expect(
      await retryInvoicePayment({ stripe, logger }, { invoiceId: 'in_A1', idempotencyKey: 'k' }),
    ).toEqual({
      paid: true,
      invoiceStatus: 'paid',
    });
  });
});

describe('the Stripe actions against stripe-mock', () => {
  const stripe = createStripeClient({
    stripe: {
      webhookSecrets: [],
      toleranceSeconds: 300,
      secretKey: undefined,
      apiBase: new URL(testStack().stripeApiBase),
    },
  });

  it('calls cancel for a live subscription', async () => {
    // stripe-mock is stateless: its fixture is `active` before and after the cancel, so this
    // checks the request path and parsing; "already ended" is covered with the fake above.
    const result = await cancelSubscription(
      { stripe, logger },
      { subscriptionId: 'sub_Mock1', idempotencyKey: 'in_M1:cancel' },
    );

    expect(result.alreadyEnded).toBe(false);
    expect(result.status).toBe('active');
  });

  it('reads a subscription in the newer API shape, with the period end from its items', async () => {
    const snapshot = await fetchSubscription({ stripe, logger }, 'sub_Mock2');

    expect(snapshot).toMatchObject({ id: 'sub_Mock2', status: 'active' });
    expect(typeof snapshot.cancelAtPeriodEnd).toBe('boolean');
    expect(snapshot.currentPeriodEnd).toEqual(expect.any(Number));
    expect(snapshot.priceId).toMatch(/^price_/);
  });

  it('pays an invoice and reports Stripe status', async () => {
    const result = await retryInvoicePayment(
      { stripe, logger },
      { invoiceId: 'in_Mock3', idempotencyKey: 'in_Mock3:retry:1' },
    );

    expect(result).toEqual({ paid: false, invoiceStatus: expect.any(String) });
  });
});
