/**
 * Random bodies and headers against the real app: never a 5xx (except 503 when Temporal is
 * unavailable), and never a signal without a valid signature.
 */
import fc from 'fast-check';
import Stripe from 'stripe';
import {
  checkoutSessionCompleted,
  invoiceEvent,
  nowSeconds,
  signedRequest,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { type Harness, startHarness } from './support/harness';

const RUNS = 300;

/** Strings that stay valid as HTTP header values (visible ASCII and spaces). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});

/** Headers that look like Stripe's, with random timestamps and signatures. */
const signatureHeader = fc.oneof(
  headerText,
  fc
    .tuple(
      fc.integer({ min: -1e10, max: 1e10 }),
      fc.string({
        unit: fc.constantFrom(...'0123456789abcdef'),
        maxLength: 64,
      }),
      fc.boolean(),
    )
    .map(([t, sig, twice]) => `t=${t},v1=${sig}${twice ? `,v1=${sig}` : ''}`),
  fc.constant(undefined),
);

const body = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.json({ maxDepth: 4 }),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((v) => JSON.stringify({ ...checkoutSessionCompleted(), data: v })),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
);

const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/json; charset=utf-8'),
  fc.constant('text/plain'),
  headerText,
);

async function post(h: Harness, payload: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${h.url}/api/subscription/webhook`, {
    method: 'POST',
    body: payload,
    headers,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('webhook under random input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('never answers 5xx and never signals for random bodies and headers', async () => {
    await fc.assert(
      fc.asyncProperty(body, signatureHeader, contentType, async (payload, signature, type) => {
        const headers: Record<string, string> = { 'content-type': type };
        if (signature !== undefined) headers['stripe-signature'] = signature;
        const status = await post(h, payload, headers);
        expect(status).toBeLessThan(500);
        expect([400, 401, 413, 415]).toContain(status);
      }),
      { numRuns: RUNS },
    );
    expect(h.signaler.received).toHaveLength(0);
  });

  it('never signals a real event whose header was signed over other bytes or with another secret', async () => {
    const event = fc.constantFrom(
      checkoutSessionCompleted(),
      subscriptionEvent('customer.subscription.updated'),
      invoiceEvent('invoice.payment_failed'),
    );
    const secret = fc.oneof(
      fc.constant('whsec_wrong'),
      fc.string({ minLength: 1, maxLength: 40 }).map((s) => `whsec_${s}`),
    );
    await fc.assert(
      fc.asyncProperty(event, secret, fc.string({ maxLength: 5 }), async (e, s, suffix) => {
        const signed = signedRequest(e, s === TEST_WEBHOOK_SECRET ? 'whsec_other' : s);
        const status = await post(h, signed.body + suffix, signed.headers);
        expect(status).toBe(401);
      }),
      { numRuns: RUNS },
    );
    expect(h.signaler.received).toHaveLength(0);
  });

  it('answers a correctly signed random JSON body with 200 or 400, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const payload = JSON.stringify({
          id: 'evt_prop',
          object: 'event',
          type: 'invoice.payment_failed',
          created: nowSeconds(),
          data: { object: value },
        });
        const header = Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: TEST_WEBHOOK_SECRET,
        });
        const status = await post(h, payload, {
          'content-type': 'application/json',
          'stripe-signature': header,
        });
        expect([200, 400]).toContain(status);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers only 503 among the 5xx when Temporal is unavailable', async () => {
    h.signaler.behaviour = 'unavailable';
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('current', 'legacy'),
          fc.boolean(),
          async (shape, valid) => {
            const signed = signedRequest(
              subscriptionEvent('customer.subscription.created', { shape }),
              valid ? TEST_WEBHOOK_SECRET : 'whsec_wrong',
            );
            const status = await post(h, signed.body, signed.headers);
            expect(status).toBe(valid ? 503 : 401);
          },
        ),
        { numRuns: 50 },
      );
    } finally {
      h.signaler.behaviour = 'accept';
    }
  });
});
