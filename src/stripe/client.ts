/**
 * The Stripe client of the worker and the CLIs. With a real key it talks to Stripe; without one
 * it talks to `config.stripe.apiBase` (stripe-mock locally, a fake in tests) with a dummy test
 * key, so the same code path runs everywhere and no real account is ever needed to develop.
 */
import Stripe from 'stripe';
import type { Config } from '../config';
import { STRIPE_API_VERSION } from './api-version';

/** Placeholder key: stripe-mock accepts any key shaped like sk_test_ plus letters and digits. */
const LOCAL_STRIPE_KEY = 'sk_test_localStripeMock';

/**
 * Network retries inside one activity attempt. Each mutating call carries our own idempotency
 * key, so a retried POST cannot act twice; Temporal's retry policy covers longer outages.
 */
export const STRIPE_MAX_NETWORK_RETRIES = 2;

/** Per-request timeout in ms, well below the activities' start-to-close timeout. */
export const STRIPE_TIMEOUT_MS = 20_000;

export function createStripeClient(config: Pick<Config, 'stripe'>): Stripe {
  const common = {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    timeout: STRIPE_TIMEOUT_MS,
    typescript: true as const,
    appInfo: { name: 'citrus-subscriptions' },
  };
  if (config.stripe.secretKey) return new Stripe(config.stripe.secretKey, common);

  const base = config.stripe.apiBase;
  if (!base) {
    throw new Error(
      'Neither STRIPE_SECRET_KEY nor STRIPE_API_BASE is set; set a key, or point STRIPE_API_BASE ' +
        'at stripe-mock.',
    );
  }
  const protocol = base.protocol === 'https:' ? 'https' : 'http';
  return new Stripe(LOCAL_STRIPE_KEY, {
    ...common,
    host: base.hostname,
    port: base.port || (protocol === 'https' ? 443 : 80),
    protocol,
    // stripe-mock and fakes have no latency data to learn from.
    telemetry: false,
  });
}
