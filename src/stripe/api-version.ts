/**
 * The Stripe API version this service speaks, pinned deliberately.
 *
 * Why pin: without it, requests use the account's default version, which changes when someone
 * upgrades the account in the Dashboard, and response shapes move with it (for example
 * `current_period_end` moved from the subscription to its items). Pinning makes every response
 * match the library's types, which describe exactly this version. The value is typed as the
 * library's `LatestApiVersion`, so upgrading the `stripe` package fails type-checking here until
 * someone reads the changelog and moves the pin on purpose.
 *
 * Webhook payloads are rendered with the endpoint's own version, not this one; the webhook
 * normalizer therefore reads both shapes (and so does `toSubscriptionSnapshot`).
 */
import type Stripe from 'stripe';

type LatestApiVersion = NonNullable<
  NonNullable<ConstructorParameters<typeof Stripe>[1]>['apiVersion']
>;

export const STRIPE_API_VERSION: LatestApiVersion = '2026-10-28.endive';
