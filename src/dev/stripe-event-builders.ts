/**
 * Realistic Stripe webhook events in both API-version shapes, and signed requests built with
 * Stripe's own test-header helper. Used by `npm run stripe:send` (the local stand-in for the
 * Dashboard's "Send test webhook") and, through test/support/stripe-fixtures.ts, by the tests.
 *
 *   const event = subscriptionEvent('customer.subscription.updated', { status: 'past_due' });
 *   const { body, headers } = signedRequest(event, secret);
 *   await fetch(url, { method: 'POST', body, headers });
 *
 * Every builder takes optional overrides and fills the rest with fresh IDs, so two calls never
 * collide. Payloads carry personal data (an e-mail address, a name) on purpose, like real ones,
 * so tests can check that it never reaches logs or workflow histories.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { LOCAL_DEV_WEBHOOK_SECRET } from '../config/settings';
import type { HandledEventType, SubscriptionStatus } from '../domain/stripe-events';

/**
 * `current`: API versions from 2025-03-31 on (period on subscription items, invoice subscription
 * under `parent.subscription_details`). `legacy`: earlier versions (both at the top level).
 */
export type ApiShape = 'current' | 'legacy';

export const API_VERSIONS: Record<ApiShape, string> = {
  current: '2025-03-31.basil',
  legacy: '2024-06-20',
};

/** An e-mail address that appears in built events and must never appear in logs. */
export const FIXTURE_EMAIL = 'jenny.rosen@example.com';

/** A Stripe event as delivered: envelope plus `data.object`. */
export interface StripeEventFixture {
  id: string;
  object: 'event';
  type: string;
  api_version: string | null;
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: {
    object: Record<string, unknown>;
    previous_attributes?: Record<string, unknown>;
  };
}

export interface EventOptions {
  id?: string;
  /** Unix seconds; now by default. */
  created?: number;
  shape?: ApiShape;
  livemode?: boolean;
}

/** A Stripe-style ID: prefix, underscore, 14 letters and digits. */
export function stripeId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const chars = Array.from(randomBytes(14), (b) => alphabet[b % alphabet.length]);
  return `${prefix}_${chars.join('')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Any event type with any object, for unhandled types and hand-made edge cases. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: EventOptions & { previousAttributes?: Record<string, unknown> } = {},
): StripeEventFixture {
  return {
    id: options.id ?? stripeId('evt'),
    object: 'event',
    type,
    api_version: API_VERSIONS[options.shape ?? 'current'],
    created: options.created ?? nowSeconds(),
    livemode: options.livemode ?? false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: null },
    data: {
      object,
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
  };
}

export interface CheckoutOptions extends EventOptions {
  /** A `cus_` ID, an expanded customer object, or null for a guest checkout. */
  customer?: string | Record<string, unknown> | null;
  mode?: 'payment' | 'setup' | 'subscription';
  subscription?: string | null;
  /** Citrus Host's account ID. */
  clientReferenceId?: string | null;
  metadata?: Record<string, string>;
}

export function checkoutSessionCompleted(options: CheckoutOptions = {}): StripeEventFixture {
  const mode = options.mode ?? 'subscription';
  const customer = options.customer === undefined ? stripeId('cus') : options.customer;
  return stripeEvent(
    'checkout.session.completed',
    {
      id: stripeId('cs_test'),
      object: 'checkout.session',
      mode,
      status: 'complete',
      payment_status: 'paid',
      customer,
      customer_details: {
        email: FIXTURE_EMAIL,
        name: 'Jenny Rosen',
        address: null,
      },
      client_reference_id:
        options.clientReferenceId === undefined ? 'acct_citrus_1001' : options.clientReferenceId,
      subscription:
        options.subscription !== undefined
          ? options.subscription
          : mode === 'subscription'
            ? stripeId('sub')
            : null,
      amount_total: 1500,
      currency: 'usd',
      metadata: options.metadata ?? {},
    },
    options,
  );
}

export interface SubscriptionOptions extends EventOptions {
  customer?: string | Record<string, unknown> | null;
  subscriptionId?: string;
  status?: SubscriptionStatus;
  /** Unix seconds; 30 days after `created` by default. */
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  priceId?: string;
  productId?: string;
  interval?: 'month' | 'year';
  /** `data.previous_attributes` of an update, e.g. `{ status: 'active' }`. */
  previousAttributes?: Record<string, unknown>;
}

export type SubscriptionEventType = Extract<HandledEventType, `customer.subscription.${string}`>;

export function subscriptionEvent(
  type: SubscriptionEventType,
  options: SubscriptionOptions = {},
): StripeEventFixture {
  const shape = options.shape ?? 'current';
  const created = options.created ?? nowSeconds();
  const periodStart = created - 60;
  const periodEnd = options.currentPeriodEnd ?? created + 30 * 24 * 3600;
  const status =
    options.status ?? (type === 'customer.subscription.deleted' ? 'canceled' : 'active');
  const price = {
    id: options.priceId ?? 'price_citrus_pro_monthly',
    object: 'price',
    product: options.productId ?? 'prod_citrus_pro',
    recurring: { interval: options.interval ?? 'month', interval_count: 1 },
    unit_amount: 1500,
    currency: 'usd',
  };
  const item: Record<string, unknown> = {
    id: stripeId('si'),
    object: 'subscription_item',
    price,
  };
  const subscription: Record<string, unknown> = {
    id: options.subscriptionId ?? stripeId('sub'),
    object: 'subscription',
    customer: options.customer === undefined ? stripeId('cus') : options.customer,
    status,
    cancel_at_period_end: options.cancelAtPeriodEnd ?? false,
    canceled_at: status === 'canceled' ? created : null,
    created: created - 3600,
    items: { object: 'list', data: [item] },
  };
  if (shape === 'current') {
    Object.assign(item, {
      current_period_start: periodStart,
      current_period_end: periodEnd,
    });
  } else {
    Object.assign(subscription, {
      current_period_start: periodStart,
      current_period_end: periodEnd,
      plan: { ...price, object: 'plan', interval: options.interval ?? 'month' },
    });
  }
  return stripeEvent(type, subscription, { ...options, created });
}

export interface InvoiceOptions extends EventOptions {
  customer?: string | Record<string, unknown> | null;
  invoiceId?: string;
  subscriptionId?: string | null;
  attemptCount?: number;
  /** Unix seconds of Stripe's next retry; null when none is planned. */
  nextPaymentAttempt?: number | null;
  amountDue?: number;
}

export type InvoiceEventType = Extract<HandledEventType, `invoice.${string}`>;

export function invoiceEvent(
  type: InvoiceEventType,
  options: InvoiceOptions = {},
): StripeEventFixture {
  const shape = options.shape ?? 'current';
  const created = options.created ?? nowSeconds();
  const failed = type === 'invoice.payment_failed';
  const subscriptionId =
    options.subscriptionId === undefined ? stripeId('sub') : options.subscriptionId;
  const invoiceId = options.invoiceId ?? stripeId('in');
  const invoice: Record<string, unknown> = {
    id: invoiceId,
    object: 'invoice',
    customer: options.customer === undefined ? stripeId('cus') : options.customer,
    customer_email: FIXTURE_EMAIL,
    customer_name: 'Jenny Rosen',
    status: failed ? 'open' : 'paid',
    attempt_count: options.attemptCount ?? 1,
    next_payment_attempt:
      options.nextPaymentAttempt !== undefined
        ? options.nextPaymentAttempt
        : failed
          ? created + 3 * 24 * 3600
          : null,
    hosted_invoice_url: `https://invoice.stripe.test/i/${invoiceId}`,
    amount_due: options.amountDue ?? 1500,
    amount_paid: failed ? 0 : (options.amountDue ?? 1500),
    currency: 'usd',
  };
  if (shape === 'current') {
    invoice.parent =
      subscriptionId === null
        ? null
        : {
            type: 'subscription_details',
            subscription_details: {
              subscription: subscriptionId,
              metadata: {},
            },
          };
  } else {
    invoice.subscription = subscriptionId;
  }
  return stripeEvent(type, invoice, { ...options, created });
}

export interface SignedRequest {
  /** The exact bytes that were signed; send them unchanged. */
  body: string;
  headers: { 'content-type': string; 'stripe-signature': string };
}

export interface SignOptions {
  /** Unix seconds of the signature; now by default. Past or future values test the tolerance. */
  timestamp?: number;
}

/**
 * Serializes the payload (objects as Stripe does, pretty-printed; strings as given) and signs it
 * with `stripe.webhooks.generateTestHeaderString`.
 */
export function signedRequest(
  payload: object | string,
  secret: string = LOCAL_DEV_WEBHOOK_SECRET,
  options: SignOptions = {},
): SignedRequest {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: options.timestamp ?? nowSeconds(),
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signature,
    },
  };
}
