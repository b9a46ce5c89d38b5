/**
 * Every class of bad request against the webhook, in one table: each gets a clear 4xx or a
 * documented 2xx-ignored, quickly, never a 5xx, and never a signal. The process stays healthy.
 */
import Stripe from 'stripe';
import {
  checkoutSessionCompleted,
  nowSeconds,
  signedRequest,
  stripeEvent,
  stripeId,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { type Harness, startHarness } from '../api/support/harness';

/** Stripe gives up after 10 s; a rejection should take a small fraction of that. */
const FAST_MS = 2000;

interface BadRequest {
  name: string;
  body: string | Buffer;
  headers: Record<string, string>;
  status: number;
  /** The `error` or `ignored` field of the answer. */
  says: string;
}

function signedHeader(body: string, secret = TEST_WEBHOOK_SECRET, timestamp = nowSeconds()) {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
}

function signed(payload: object | string, status: number, says: string, name: string): BadRequest {
  const { body, headers } = signedRequest(payload);
  return { name, body, headers, status, says };
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function cases(): BadRequest[] {
  const event = subscriptionEvent('customer.subscription.updated');
  const good = signedRequest(event);
  const json = 'application/json';
  return [
    {
      name: 'no signature header',
      body: good.body,
      headers: { 'content-type': json },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'a garbage signature header',
      body: good.body,
      headers: { 'content-type': json, 'stripe-signature': 'garbage,,=;v1' },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'a header with an empty v1',
      body: good.body,
      headers: { 'content-type': json, 'stripe-signature': `t=${nowSeconds()},v1=` },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'the wrong secret',
      body: good.body,
      headers: {
        'content-type': json,
        'stripe-signature': signedHeader(good.body, 'whsec_somebody_else_entirely'),
      },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'a stale timestamp',
      body: good.body,
      headers: {
        'content-type': json,
        'stripe-signature': signedHeader(good.body, TEST_WEBHOOK_SECRET, nowSeconds() - 3600),
      },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'a future timestamp',
      body: good.body,
      headers: {
        'content-type': json,
        'stripe-signature': signedHeader(good.body, TEST_WEBHOOK_SECRET, nowSeconds() + 3600),
      },
      status: 401,
      says: 'invalid_signature',
    },
    {
      name: 'a tampered body',
      body: good.body.replace('"active"', '"canceled"'),
      headers: good.headers,
      status: 401,
      says: 'invalid_signature',
    },
    signed('this is {not json', 400, 'invalid_json', 'a signed body that is not JSON'),
    signed('[1,2,3]', 400, 'invalid_event', 'signed JSON that is an array'),
    signed('"just a string"', 400, 'invalid_event', 'signed JSON that is a string'),
    signed({ hello: 'world' }, 400, 'invalid_event', 'signed JSON that is not an event'),
    signed({ ...event, id: undefined }, 400, 'invalid_event', 'an event without an id'),
    signed(
      stripeEvent('charge.refunded', { id: stripeId('ch'), customer: stripeId('cus') }),
      200,
      'unhandled_type',
      'an unknown event type',
    ),
    signed(
      checkoutSessionCompleted({ customer: null }),
      200,
      'no_customer',
      'a handled event without a customer',
    ),
    signed(
      subscriptionEvent('customer.subscription.updated', { customer: 'cus_../../etc/passwd' }),
      400,
      'malformed_customer_id',
      'a malformed customer ID',
    ),
    signed(
      subscriptionEvent('customer.subscription.updated', { customer: { $gt: '' } }),
      400,
      'malformed_customer_id',
      'an operator object as the customer',
    ),
    {
      name: 'a wrong content type',
      body: good.body,
      headers: { ...good.headers, 'content-type': 'text/plain' },
      status: 415,
      says: 'unsupported_media_type',
    },
    {
      name: 'form-encoded content',
      body: 'id=evt_1&type=invoice.paid',
      headers: { ...good.headers, 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      says: 'unsupported_media_type',
    },
    (() => {
      const body = JSON.stringify({ ...event, padding: 'x'.repeat(1024 * 1024 + 1) });
      return {
        name: 'a body over 1 MiB (signed)',
        body,
        headers: { 'content-type': json, 'stripe-signature': signedHeader(body) },
        status: 413,
        says: 'payload_too_large',
      };
    })(),
    signed(nested(10_000), 400, 'invalid_event', 'JSON nested 10,000 levels deep (signed)'),
    signed(
      JSON.stringify({ ...event, data: { object: 'NESTED' } }).replace('"NESTED"', nested(5_000)),
      // Documented 2xx-ignored: the object has no customer, which is checked first.
      200,
      'no_customer',
      'an event whose object is nested 5,000 levels deep (signed)',
    ),
    // IDs and types are bounded, so a signed but hostile payload cannot bloat a workflow history.
    signed(
      { ...event, id: `evt_${'A'.repeat(900_000)}` },
      400,
      'invalid_event',
      'an event ID of 900,000 characters',
    ),
    signed(
      { ...event, type: 'x'.repeat(900_000) },
      400,
      'invalid_event',
      'an event type of 900,000 characters',
    ),
    signed(
      subscriptionEvent('customer.subscription.updated', {
        customer: `cus_${'a'.repeat(500_000)}`,
      }),
      400,
      'malformed_customer_id',
      'a customer ID of 500,000 characters',
    ),
  ];
}

describe('hostile and malformed webhook requests', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each(cases().map((c) => [c.name, c] as const))(
    'answers %s with a clear status, quickly, and signals nothing',
    async (_name, bad) => {
      const signalsBefore = h.signaler.received.length;
      const started = Date.now();
      const res = await fetch(`${h.url}/api/subscription/webhook`, {
        method: 'POST',
        body: bad.body,
        headers: bad.headers,
      });
      const elapsed = Date.now() - started;
      const answer = (await res.json()) as { error?: string; ignored?: string };

      expect(res.status).toBe(bad.status);
      expect(answer.error ?? answer.ignored).toBe(bad.says);
      expect(elapsed).toBeLessThan(FAST_MS);
      expect(h.signaler.received.length).toBe(signalsBefore);
    },
  );

  it('is still healthy after the whole table', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    const { body, headers } = signedRequest(subscriptionEvent('customer.subscription.updated'));
    const ok = await fetch(`${h.url}/api/subscription/webhook`, { method: 'POST', body, headers });
    expect(ok.status).toBe(200);
  });

  it('never logs at error level for any of them', () => {
    const errors = h.logLines().filter((line) => Number(line.level) >= 50);
    expect(errors).toEqual([]);
  });
});
