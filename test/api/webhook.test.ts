import {
  API_VERSIONS,
  type ApiShape,
  checkoutSessionCompleted,
  FIXTURE_EMAIL,
  invoiceEvent,
  nowSeconds,
  signedRequest,
  stripeEvent,
  stripeId,
  subscriptionEvent,
  type StripeEventFixture,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { counterValue, type Harness, startHarness } from './support/harness';

const WEBHOOK = '/api/subscription/webhook';
const OLD_SECRET = 'whsec_old_secret_still_valid_while_rolling';

async function post(
  h: Harness,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}> {
  const res = await fetch(`${h.url}${WEBHOOK}`, {
    method: 'POST',
    body,
    headers,
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? JSON.parse(text) : {},
    headers: res.headers,
  };
}

async function deliver(
  h: Harness,
  event: object | string,
  secret = TEST_WEBHOOK_SECRET,
  timestamp?: number,
) {
  const { body, headers } = signedRequest(event, secret, { timestamp });
  return post(h, body, headers);
}

describe('POST /api/subscription/webhook', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ secrets: [TEST_WEBHOOK_SECRET, OLD_SECRET] });
  });
  afterEach(async () => {
    await h.close();
  });

  describe('accepted events', () => {
    const builders: Array<[string, (shape: ApiShape, customer: string) => StripeEventFixture]> = [
      [
        'checkout.session.completed',
        (shape, customer) => checkoutSessionCompleted({ shape, customer }),
      ],
      ...(['created', 'updated', 'deleted'] as const).map(
        (verb): [string, (shape: ApiShape, customer: string) => StripeEventFixture] => [
          `customer.subscription.${verb}`,
          (shape, customer) =>
            subscriptionEvent(`customer.subscription.${verb}`, {
              shape,
              customer,
            }),
        ],
      ),
      ...(['invoice.payment_succeeded', 'invoice.payment_failed'] as const).map(
        (type): [string, (shape: ApiShape, customer: string) => StripeEventFixture] => [
          type,
          (shape, customer) => invoiceEvent(type, { shape, customer }),
        ],
      ),
    ];

    for (const shape of ['current', 'legacy'] as const) {
      it.each(builders)(
        `answers 200 and signals %s in the ${shape} API shape`,
        async (type, build) => {
          const customer = stripeId('cus');
          const event = build(shape, customer);

          const res = await deliver(h, event);

          expect(res.status).toBe(200);
          expect(res.json).toEqual({
            received: true,
            eventId: event.id,
            workflowId: `customer-${customer}`,
          });
          expect(h.signaler.received).toHaveLength(1);
          expect(h.signaler.received[0]).toMatchObject({
            id: event.id,
            type,
            customerId: customer,
            apiVersion: API_VERSIONS[shape],
            source: 'webhook',
          });
        },
      );
    }

    it('accepts an event signed with the old secret while the secret is being rolled', async () => {
      const res = await deliver(h, subscriptionEvent('customer.subscription.updated'), OLD_SECRET);
      expect(res.status).toBe(200);
      expect(h.signaler.received).toHaveLength(1);
    });

    it('accepts a timestamp just inside the tolerance', async () => {
      const res = await deliver(
        h,
        checkoutSessionCompleted(),
        TEST_WEBHOOK_SECRET,
        nowSeconds() - 290,
      );
      expect(res.status).toBe(200);
    });

    it('reads the customer ID from an expanded customer object', async () => {
      const customer = stripeId('cus');
      const event = invoiceEvent('invoice.payment_failed', {
        customer: { id: customer, object: 'customer', email: FIXTURE_EMAIL },
      });
      const res = await deliver(h, event);
      expect(res.status).toBe(200);
      expect(h.signaler.received[0]?.customerId).toBe(customer);
    });

    it('sends a compact event without personal data to the workflow', async () => {
      await deliver(h, invoiceEvent('invoice.payment_failed'));
      expect(JSON.stringify(h.signaler.received[0])).not.toContain(FIXTURE_EMAIL);
    });
  });

  describe('signature checks', () => {
    it('answers 401 missing_signature_header when the header is absent', async () => {
      const { body } = signedRequest(checkoutSessionCompleted());
      const res = await post(h, body, { 'content-type': 'application/json' });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({
        error: 'invalid_signature',
        check: 'missing_signature_header',
      });
    });

    it('answers 401 no_matching_signature for a secret that is not configured', async () => {
      const res = await deliver(h, checkoutSessionCompleted(), 'whsec_someone_elses_secret');
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('no_matching_signature');
    });

    it('answers 401 no_matching_signature for a garbage header', async () => {
      const { body } = signedRequest(checkoutSessionCompleted());
      const res = await post(h, body, {
        'content-type': 'application/json',
        'stripe-signature': 'definitely-not-a-signature',
      });
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('no_matching_signature');
    });

    it('answers 401 no_matching_signature when the body was tampered with after signing', async () => {
      const { body, headers } = signedRequest(invoiceEvent('invoice.payment_succeeded'));
      const tampered = body.replace('"amount_due": 1500', '"amount_due": 1');
      expect(tampered).not.toBe(body);
      const res = await post(h, tampered, headers);
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('no_matching_signature');
    });

    it('answers 401 timestamp_outside_tolerance for a stale timestamp', async () => {
      const res = await deliver(
        h,
        checkoutSessionCompleted(),
        TEST_WEBHOOK_SECRET,
        nowSeconds() - 301,
      );
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('timestamp_outside_tolerance');
    });

    it('answers 401 timestamp_outside_tolerance for a timestamp from the future', async () => {
      const res = await deliver(
        h,
        checkoutSessionCompleted(),
        TEST_WEBHOOK_SECRET,
        nowSeconds() + 301,
      );
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('timestamp_outside_tolerance');
    });

    it('answers 401 for a stale timestamp signed with the old secret too', async () => {
      const res = await deliver(h, checkoutSessionCompleted(), OLD_SECRET, nowSeconds() - 3600);
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('timestamp_outside_tolerance');
    });

    it('never echoes the secret or the signature header in a 401 body', async () => {
      const { body, headers } = signedRequest(checkoutSessionCompleted(), TEST_WEBHOOK_SECRET, {
        timestamp: nowSeconds() - 1000,
      });
      const res = await post(h, body, headers);
      const text = JSON.stringify(res.json);
      expect(text).not.toContain(TEST_WEBHOOK_SECRET);
      expect(text).not.toContain(headers['stripe-signature']);
      expect(text).not.toContain('v1=');
    });

    it('counts rejected signatures by the check that failed', async () => {
      await deliver(h, checkoutSessionCompleted(), 'whsec_wrong');
      await deliver(h, checkoutSessionCompleted(), 'whsec_wrong');
      expect(
        await counterValue(h.metrics, 'citrus_webhook_rejected_signatures_total', {
          check: 'no_matching_signature',
        }),
      ).toBe(2);
    });

    it('never signals when the signature fails', async () => {
      await deliver(h, checkoutSessionCompleted(), 'whsec_wrong');
      expect(h.signaler.received).toHaveLength(0);
    });
  });

  it('honours a configured tolerance shorter than the default', async () => {
    const strict = await startHarness({ toleranceSeconds: 10 });
    try {
      const res = await deliver(
        strict,
        checkoutSessionCompleted(),
        TEST_WEBHOOK_SECRET,
        nowSeconds() - 20,
      );
      expect(res.status).toBe(401);
      expect(res.json.check).toBe('timestamp_outside_tolerance');
    } finally {
      await strict.close();
    }
  });

  describe('validation', () => {
    it('answers 400 invalid_json for a correctly signed body that is not JSON', async () => {
      const res = await deliver(h, 'this is not json {');
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_json');
    });

    it.each([
      ['a JSON array', [1, 2, 3]],
      ['an event without an id', { ...checkoutSessionCompleted(), id: undefined }],
      ['an event without a type', { ...checkoutSessionCompleted(), type: undefined }],
      ['an object that is not an event', { ...checkoutSessionCompleted(), object: 'charge' }],
      ['an event without data', { ...checkoutSessionCompleted(), data: undefined }],
    ])('answers 400 invalid_event for %s', async (_label, payload) => {
      const res = await deliver(h, payload);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_event');
      expect(h.signaler.received).toHaveLength(0);
    });

    it('answers 400 invalid_event for a subscription event with an unknown status', async () => {
      const event = subscriptionEvent('customer.subscription.updated');
      event.data.object.status = 'pending_forever';
      const res = await deliver(h, event);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_event');
    });

    it('answers 400 malformed_customer_id for a customer ID not shaped like Stripe’s', async () => {
      const res = await deliver(h, checkoutSessionCompleted({ customer: 'cus_../../admin' }));
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('malformed_customer_id');
      expect(JSON.stringify(res.json)).not.toContain('admin');
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const event = checkoutSessionCompleted();
      event.data.object.padding = 'x'.repeat(1024 * 1024);
      const { body, headers } = signedRequest(event);
      const res = await post(h, body, headers);
      expect(res.status).toBe(413);
      expect(res.json.error).toBe('payload_too_large');
    });

    it('answers 415 for a content type other than application/json', async () => {
      const { body, headers } = signedRequest(checkoutSessionCompleted());
      const res = await post(h, body, {
        ...headers,
        'content-type': 'text/plain',
      });
      expect(res.status).toBe(415);
      expect(h.signaler.received).toHaveLength(0);
    });

    it('accepts application/json with a charset parameter, as Stripe sends it', async () => {
      const { body, headers } = signedRequest(checkoutSessionCompleted());
      const res = await post(h, body, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
      });
      expect(res.status).toBe(200);
    });
  });

  describe('ignored events', () => {
    it('answers 200 ignored for a type this service does not handle, and counts it', async () => {
      const res = await deliver(
        h,
        stripeEvent('charge.refunded', {
          id: 'ch_1',
          customer: stripeId('cus'),
        }),
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ received: true, ignored: 'unhandled_type' });
      expect(h.signaler.received).toHaveLength(0);
      expect(
        await counterValue(h.metrics, 'citrus_webhook_ignored_events_total', {
          reason: 'unhandled_type',
        }),
      ).toBe(1);
    });

    it('answers 200 ignored for a guest checkout without a customer', async () => {
      const res = await deliver(h, checkoutSessionCompleted({ customer: null, mode: 'payment' }));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ received: true, ignored: 'no_customer' });
      expect(h.signaler.received).toHaveLength(0);
    });
  });

  describe('when Temporal does not accept the signal', () => {
    it('answers 503 with Retry-After when Temporal is unavailable', async () => {
      h.signaler.behaviour = 'unavailable';
      const res = await deliver(h, checkoutSessionCompleted());
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('answers 500 with a generic body for any other failure and logs the details', async () => {
      h.signaler.behaviour = 'fail';
      const res = await deliver(h, checkoutSessionCompleted());
      expect(res.status).toBe(500);
      expect(res.json).toEqual({
        error: 'internal_error',
        message: 'Internal error; see the server log.',
      });
      expect(h.logText()).toContain('citrus-secret-internal-detail');
    });
  });

  describe('logs and metrics', () => {
    it('writes one line per delivery with event, type, customer, outcome, status and ms', async () => {
      const customer = stripeId('cus');
      const event = subscriptionEvent('customer.subscription.updated', {
        customer,
      });
      await deliver(h, event);
      const lines = h.logLines().filter((l) => l.msg === 'webhook delivery');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        eventId: event.id,
        type: 'customer.subscription.updated',
        customerId: customer,
        outcome: 'accepted',
        status: 200,
      });
      expect(typeof lines[0]?.ms).toBe('number');
    });

    it('never logs a secret, a signature header or a payload field', async () => {
      h.signaler.behaviour = 'accept';
      const requests = [
        signedRequest(checkoutSessionCompleted()),
        signedRequest(invoiceEvent('invoice.payment_failed'), OLD_SECRET),
        signedRequest(checkoutSessionCompleted(), 'whsec_wrong'),
        signedRequest(checkoutSessionCompleted(), TEST_WEBHOOK_SECRET, {
          timestamp: nowSeconds() - 999,
        }),
        signedRequest(checkoutSessionCompleted({ customer: 'cus_!bad' })),
      ];
      for (const { body, headers } of requests) await post(h, body, headers);
      h.signaler.behaviour = 'fail';
      const last = signedRequest(invoiceEvent('invoice.payment_failed'));
      await post(h, last.body, last.headers);

      const logs = h.logText();
      expect(h.logLines().filter((l) => l.msg === 'webhook delivery')).toHaveLength(6);
      for (const forbidden of [
        TEST_WEBHOOK_SECRET,
        OLD_SECRET,
        'whsec_',
        FIXTURE_EMAIL,
        'Jenny',
        'v1=',
      ]) {
        expect(logs).not.toContain(forbidden);
      }
      for (const { headers } of [...requests, last]) {
        expect(logs).not.toContain(headers['stripe-signature']);
      }
    });

    it('exposes deliveries by type and outcome, and the signal latency, at /metrics', async () => {
      await deliver(h, invoiceEvent('invoice.payment_failed'));
      await deliver(h, stripeEvent('charge.refunded', { id: 'ch_1' }));
      const res = await fetch(`${h.url}/metrics`);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain(
        'citrus_webhook_deliveries_total{type="invoice.payment_failed",outcome="accepted"} 1',
      );
      expect(text).toContain('citrus_webhook_deliveries_total{type="other",outcome="ignored"} 1');
      expect(text).toContain('citrus_webhook_signal_with_start_seconds_count{result="ok"} 1');
    });
  });
});

describe('health and readiness', () => {
  it('answers 200 at /healthz while the process is up', async () => {
    const h = await startHarness({ ready: false });
    try {
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('answers 503 at /readyz until Temporal is reachable, then 200', async () => {
    const h = await startHarness({ ready: false });
    try {
      expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
      h.readiness.ready = true;
      expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('answers 404 with a JSON body for an unknown route', async () => {
    const h = await startHarness();
    try {
      const res = await fetch(`${h.url}/nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    } finally {
      await h.close();
    }
  });
});
