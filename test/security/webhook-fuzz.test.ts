/**
 * A fuzz run of 10,000 requests against the real app with a fake signaler at its function
 * boundary: no answer is ever a 5xx, and nothing is signaled unless the request carried a valid
 * signature over exactly the bytes sent.
 */
import fc from 'fast-check';
import Stripe from 'stripe';
import {
  checkoutSessionCompleted,
  invoiceEvent,
  nowSeconds,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { type Harness, startHarness } from '../api/support/harness';

const RUNS = 10_000;

const visible = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 120,
});

const realEvent = fc
  .constantFrom(
    () => checkoutSessionCompleted(),
    () => subscriptionEvent('customer.subscription.updated'),
    () => invoiceEvent('invoice.payment_failed'),
  )
  .map((make) => JSON.stringify(make()));

const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  realEvent,
  fc.jsonValue({ maxDepth: 2 }).map((v) =>
    JSON.stringify({
      ...subscriptionEvent('customer.subscription.created'),
      data: { object: v },
    }),
  ),
);

/** How the request is signed: correctly, or one of the ways it can be wrong. */
const signing = fc.constantFrom(
  'valid',
  'none',
  'wrong_secret',
  'stale',
  'future',
  'tampered',
  'garbage',
);

type Signing = 'valid' | 'none' | 'wrong_secret' | 'stale' | 'future' | 'tampered' | 'garbage';

function header(payload: string, how: Signing, garbage: string): string | undefined {
  const sign = (secret: string, timestamp: number) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  switch (how) {
    case 'valid':
      return sign(TEST_WEBHOOK_SECRET, nowSeconds());
    case 'none':
      return undefined;
    case 'wrong_secret':
      return sign('whsec_not_the_configured_one', nowSeconds());
    case 'stale':
      return sign(TEST_WEBHOOK_SECRET, nowSeconds() - 301 - 3600);
    case 'future':
      return sign(TEST_WEBHOOK_SECRET, nowSeconds() + 301 + 3600);
    case 'tampered':
      return sign(TEST_WEBHOOK_SECRET, nowSeconds());
    case 'garbage':
      return garbage;
  }
}

describe('webhook fuzz', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it(`never answers 5xx and never signals without a valid signature, over ${RUNS} requests`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        body,
        signing,
        visible,
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
        async (payload, how, garbage, contentType) => {
          const signature = header(payload, how, garbage);
          const sent = how === 'tampered' ? `${payload} ` : payload;
          const before = h.signaler.received.length;
          const res = await fetch(`${h.url}/api/subscription/webhook`, {
            method: 'POST',
            body: sent,
            headers: {
              'content-type': contentType,
              ...(signature === undefined ? {} : { 'stripe-signature': signature }),
            },
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          if (how !== 'valid' || !contentType.startsWith('application/json')) {
            expect(h.signaler.received.length).toBe(before);
          }
        },
      ),
      { numRuns: RUNS },
    );
    process.stdout.write(`[fuzz] statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
