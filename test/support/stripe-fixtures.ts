/**
 * Realistic Stripe webhook events for tests and the benchmark, in both API-version shapes, and
 * signed requests built with Stripe's own test-header helper (never pasted headers). The builders
 * live in src/dev/stripe-event-builders.ts, shared with `npm run stripe:send`.
 *
 *   const event = subscriptionEvent('customer.subscription.updated', { status: 'past_due' });
 *   const { body, headers } = signedRequest(event, TEST_WEBHOOK_SECRET);
 *   await fetch(url, { method: 'POST', body, headers });
 */
import { LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';

export * from '../../src/dev/stripe-event-builders';

/** The secret the local stack and the tests sign with. */
export const TEST_WEBHOOK_SECRET = LOCAL_DEV_WEBHOOK_SECRET;
