/**
 * The compact, normalized form of the Stripe events this service handles.
 *
 * The webhook turns a verified Stripe event into one of these before it signals the customer's
 * workflow. Keeping only the fields the workflow needs keeps histories small, readable in the
 * Temporal UI, and free of personal data (no names, e-mail addresses or card details).
 *
 * This module is imported by workflow code, so it must stay free of Node built-ins and I/O.
 */

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.payment_succeeded',
  'invoice.payment_failed',
] as const;

export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandledEventType(type: string): type is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(type);
}

/** Stripe's eight subscription statuses. */
export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'paused',
] as const;

export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export function isSubscriptionStatus(value: unknown): value is SubscriptionStatus {
  return typeof value === 'string' && (SUBSCRIPTION_STATUSES as readonly string[]).includes(value);
}

/** How the event reached us; reconciliation counts what the webhook missed. */
export type EventSource = 'webhook' | 'reconciliation';

interface EventEnvelope {
  /** Stripe's event ID (`evt_...`): the dedupe key everywhere. */
  id: string;
  /** Stripe's `created`, in Unix seconds. Whole-second resolution, so ties happen. */
  created: number;
  /** The API version the payload was rendered with, or null when Stripe omitted it. */
  apiVersion: string | null;
  livemode: boolean;
  /** Stripe customer ID (`cus_...`), which also names the workflow. */
  customerId: string;
  source: EventSource;
}

export interface CheckoutCompletedEvent extends EventEnvelope {
  type: 'checkout.session.completed';
  sessionId: string;
  mode: 'payment' | 'setup' | 'subscription';
  subscriptionId: string | null;
  /** Citrus Host's account: `client_reference_id`, else `metadata.account_id`. */
  accountId: string | null;
}

/** The subscription fields the workflow keeps, read from either API-version shape. */
export interface SubscriptionSnapshot {
  id: string;
  status: SubscriptionStatus;
  priceId: string | null;
  productId: string | null;
  /** `month`, `year`, ... from the price's recurring interval. */
  planInterval: string | null;
  /** Unix seconds; on the subscription item in newer API versions, top-level in older ones. */
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
}

export interface SubscriptionChangedEvent extends EventEnvelope {
  type:
    | 'customer.subscription.created'
    | 'customer.subscription.updated'
    | 'customer.subscription.deleted';
  subscription: SubscriptionSnapshot;
  /** `data.previous_attributes.status` on updates, which orders same-second events. */
  previousStatus: SubscriptionStatus | null;
}

export interface InvoiceSnapshot {
  id: string;
  /** `parent.subscription_details.subscription` in newer versions, `subscription` in older. */
  subscriptionId: string | null;
  attemptCount: number;
  /** Unix seconds of Stripe's next automatic retry, or null when none is planned. */
  nextPaymentAttempt: number | null;
  hostedInvoiceUrl: string | null;
  /** In the currency's minor unit (cents). */
  amountDue: number;
  currency: string;
}

export interface InvoiceEvent extends EventEnvelope {
  type: 'invoice.payment_succeeded' | 'invoice.payment_failed';
  invoice: InvoiceSnapshot;
}

export type NormalizedEvent = CheckoutCompletedEvent | SubscriptionChangedEvent | InvoiceEvent;
