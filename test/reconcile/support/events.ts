/**
 * Minimal Stripe event objects of the handled types, as `events.list` returns them: enough for
 * the shared normalizer, and nothing personal.
 */
import type { FakeEvent } from './fake-stripe-events';

const API_VERSION = '2025-03-31.basil';

export interface EventSpec {
  id: string;
  customerId: string;
  created: number;
  /** Endpoints that have not acknowledged it; > 0 means the webhook missed it so far. */
  pendingWebhooks?: number;
}

export interface SubscriptionSpec extends EventSpec {
  subscriptionId: string;
  status: string;
  type?: 'customer.subscription.created' | 'customer.subscription.updated';
  cancelAtPeriodEnd?: boolean;
}

export function subscriptionUpdated(spec: SubscriptionSpec): FakeEvent {
  return envelope(spec, spec.type ?? 'customer.subscription.updated', {
    id: spec.subscriptionId,
    object: 'subscription',
    customer: spec.customerId,
    status: spec.status,
    cancel_at_period_end: spec.cancelAtPeriodEnd ?? false,
    items: {
      object: 'list',
      data: [
        {
          current_period_end: spec.created + 30 * 86_400,
          price: {
            id: 'price_basic',
            product: 'prod_hosting',
            recurring: { interval: 'month' },
          },
        },
      ],
    },
  });
}

export function invoicePaid(spec: EventSpec & { invoiceId: string }): FakeEvent {
  return envelope(spec, 'invoice.payment_succeeded', {
    id: spec.invoiceId,
    object: 'invoice',
    customer: spec.customerId,
    attempt_count: 1,
    amount_due: 1200,
    currency: 'usd',
  });
}

function envelope(spec: EventSpec, type: string, object: Record<string, unknown>): FakeEvent {
  return {
    id: spec.id,
    object: 'event',
    type,
    created: spec.created,
    api_version: API_VERSION,
    livemode: false,
    pending_webhooks: spec.pendingWebhooks ?? 0,
    request: null,
    data: { object },
  };
}
