/**
 * Turns a subscription read from the Stripe API into the workflow's `SubscriptionSnapshot`.
 * Reads both API-version shapes: the current period is on the subscription items in newer
 * versions and top-level in older ones.
 */
import { isSubscriptionStatus, type SubscriptionSnapshot } from '../domain/stripe-events';

/** The fields read, loose enough for both API versions and for fakes. */
export interface SubscriptionLike {
  id: string;
  status: string;
  cancel_at_period_end?: boolean | null;
  canceled_at?: number | null;
  /** Older API versions only. */
  current_period_end?: number | null;
  items?: {
    data: Array<{
      /** Newer API versions. */
      current_period_end?: number | null;
      price?: {
        id: string;
        product?: string | { id: string } | null;
        recurring?: { interval: string } | null;
      } | null;
    }>;
  } | null;
}

export class UnexpectedSubscriptionError extends Error {
  constructor(
    readonly subscriptionId: string,
    readonly status: string,
  ) {
    super(
      `Stripe returned subscription ${subscriptionId} with status "${status}", which is not one ` +
        'of the eight known statuses; check the pinned API version in src/stripe/api-version.ts.',
    );
    this.name = 'UnexpectedSubscriptionError';
  }
}

export function toSubscriptionSnapshot(subscription: SubscriptionLike): SubscriptionSnapshot {
  if (!isSubscriptionStatus(subscription.status)) {
    throw new UnexpectedSubscriptionError(subscription.id, subscription.status);
  }
  const items = subscription.items?.data ?? [];
  const first = items[0];
  const price = first?.price ?? null;
  const product = price?.product ?? null;
  const itemPeriodEnds = items
    .map((item) => item.current_period_end)
    .filter((end): end is number => typeof end === 'number');
  // With several items, the subscription renews when its earliest item does.
  const currentPeriodEnd =
    itemPeriodEnds.length > 0
      ? Math.min(...itemPeriodEnds)
      : (subscription.current_period_end ?? null);
  return {
    id: subscription.id,
    status: subscription.status,
    priceId: price?.id ?? null,
    productId: typeof product === 'string' ? product : (product?.id ?? null),
    planInterval: price?.recurring?.interval ?? null,
    currentPeriodEnd,
    cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
    canceledAt: subscription.canceled_at ?? null,
  };
}
