/**
 * Builders of normalized Stripe events for workflow tests. Each call gets a fresh event ID unless
 * one is given, so a test states only what matters to it.
 */
import type {
  CheckoutCompletedEvent,
  InvoiceEvent,
  SubscriptionChangedEvent,
  SubscriptionSnapshot,
  SubscriptionStatus,
} from '../../../src/domain/stripe-events';

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter.toString(36).padStart(6, '0')}`;
}

export const CUSTOMER = 'cus_Test123';

interface Common {
  id?: string;
  created: number;
  customerId?: string;
}

export function subscriptionSnapshot(
  id: string,
  status: SubscriptionStatus,
  overrides: Partial<SubscriptionSnapshot> = {},
): SubscriptionSnapshot {
  return {
    id,
    status,
    priceId: 'price_basic',
    productId: 'prod_hosting',
    planInterval: 'month',
    currentPeriodEnd: 1_900_000_000,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    ...overrides,
  };
}

export function subscriptionEvent(
  type: SubscriptionChangedEvent['type'],
  subscription: SubscriptionSnapshot,
  common: Common & { previousStatus?: SubscriptionStatus | null },
): SubscriptionChangedEvent {
  return {
    id: common.id ?? nextId('evt'),
    type,
    created: common.created,
    apiVersion: '2025-06-30.basil',
    livemode: false,
    customerId: common.customerId ?? CUSTOMER,
    source: 'webhook',
    subscription,
    previousStatus: common.previousStatus ?? null,
  };
}

export function invoiceEvent(
  type: InvoiceEvent['type'],
  invoice: { id: string; subscriptionId: string | null; attemptCount?: number },
  common: Common & { nextPaymentAttempt?: number | null },
): InvoiceEvent {
  return {
    id: common.id ?? nextId('evt'),
    type,
    created: common.created,
    apiVersion: '2025-06-30.basil',
    livemode: false,
    customerId: common.customerId ?? CUSTOMER,
    source: 'webhook',
    invoice: {
      id: invoice.id,
      subscriptionId: invoice.subscriptionId,
      attemptCount: invoice.attemptCount ?? 1,
      nextPaymentAttempt: common.nextPaymentAttempt ?? null,
      hostedInvoiceUrl: `https://invoice.example/${invoice.id}`,
      amountDue: 1500,
      currency: 'usd',
    },
  };
}

export function checkoutEvent(
  mode: CheckoutCompletedEvent['mode'],
  subscriptionId: string | null,
  accountId: string | null,
  common: Common,
): CheckoutCompletedEvent {
  return {
    id: common.id ?? nextId('evt'),
    type: 'checkout.session.completed',
    created: common.created,
    apiVersion: '2025-06-30.basil',
    livemode: false,
    customerId: common.customerId ?? CUSTOMER,
    source: 'webhook',
    sessionId: nextId('cs'),
    mode,
    subscriptionId,
    accountId,
  };
}
