/**
 * `npm run stripe:send` against an HTTP server inside the test that checks every delivery's
 * signature with the stripe library, as the real endpoint does, and records what arrived.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import { LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { runStripeSend } from '../../scripts/stripe-send/run';
import { EVENT_TYPES } from '../../scripts/stripe-send/catalog';

const ROOT = join(__dirname, '..', '..');
const OTHER_SECRET = 'whsec_rolled_secret_for_the_cli_test_0001';

interface Received {
  type: string;
  created: number;
  object: Record<string, unknown> & { status?: string; customer?: string };
  apiVersion: string | null;
}

class Endpoint {
  readonly received: Received[] = [];
  /** The secret the endpoint verifies with. */
  secret = LOCAL_DEV_WEBHOOK_SECRET;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          const event = Stripe.webhooks.constructEvent(
            Buffer.concat(chunks),
            String(req.headers['stripe-signature']),
            this.secret,
          );
          this.received.push({
            type: event.type,
            created: event.created,
            object: event.data.object as unknown as Received['object'],
            apiVersion: event.api_version,
          });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ received: true, outcome: 'accepted', eventId: event.id }));
        } catch {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'no matching signature' }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/subscription/webhook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('npm run stripe:send', () => {
  const endpoint = new Endpoint();
  let output: string[];
  let sleeps: number[];
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };

  function send(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<number> {
    return runStripeSend([...argv, '--url', endpoint.url], {
      env: { ...env, ...extraEnv },
      out: (line) => output.push(line),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  }

  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());
  beforeEach(() => {
    endpoint.received.length = 0;
    endpoint.secret = LOCAL_DEV_WEBHOOK_SECRET;
    output = [];
    sleeps = [];
  });

  it.each(EVENT_TYPES)('sends %s signed with the local development secret', async (type) => {
    const code = await send([type, '--customer', 'cus_CliTest0000001']);

    expect(code).toBe(0);
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0]?.type).toBe(type);
    expect(endpoint.received[0]?.object.customer).toBe('cus_CliTest0000001');
    expect(output.join('\n')).toMatch(/-> 200 \{"received":true/);
  });

  it('signs with the first of the configured secrets while a secret is being rolled', async () => {
    endpoint.secret = OTHER_SECRET;

    const code = await send(['invoice.payment_failed'], {
      STRIPE_WEBHOOK_SECRET: `${OTHER_SECRET},${LOCAL_DEV_WEBHOOK_SECRET}`,
    });

    expect(code).toBe(0);
    expect(endpoint.received.map((e) => e.type)).toEqual(['invoice.payment_failed']);
  });

  it('exits 1 and prints the answer when the endpoint rejects the signature', async () => {
    endpoint.secret = OTHER_SECRET;

    const code = await send(['checkout.session.completed']);

    expect(code).toBe(1);
    expect(endpoint.received).toEqual([]);
    expect(output.join('\n')).toContain('-> 401 {"error":"no matching signature"}');
    expect(output.join('\n')).toContain('STRIPE_WEBHOOK_SECRET');
  });

  it('renders the legacy payload shape with --api-version old', async () => {
    await send([
      'invoice.payment_succeeded',
      '--subscription',
      'sub_CliLegacy00001',
      '--api-version',
      'old',
    ]);

    const [received] = endpoint.received;
    expect(received?.apiVersion).toBe('2024-06-20');
    expect(received?.object.subscription).toBe('sub_CliLegacy00001');
  });

  it('plays new-subscriber for one customer in Stripe order with increasing created', async () => {
    const code = await send(['--scenario', 'new-subscriber', '--customer', 'cus_CliNewSub00001']);

    expect(code).toBe(0);
    expect(endpoint.received.map((e) => [e.type, e.object.status ?? null])).toEqual([
      ['checkout.session.completed', 'complete'],
      ['customer.subscription.created', 'incomplete'],
      ['invoice.payment_succeeded', 'paid'],
      ['customer.subscription.updated', 'active'],
    ]);
    expect(new Set(endpoint.received.map((e) => e.object.customer))).toEqual(
      new Set(['cus_CliNewSub00001']),
    );
    const created = endpoint.received.map((e) => e.created);
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(new Set(created).size).toBe(created.length);
  });

  it('plays payment-recovered: active, a failed renewal, past_due, then paid and active again', async () => {
    expect(await send(['--scenario', 'payment-recovered'])).toBe(0);

    expect(endpoint.received.slice(4).map((e) => [e.type, e.object.status])).toEqual([
      ['invoice.payment_failed', 'open'],
      ['customer.subscription.updated', 'past_due'],
      ['invoice.payment_succeeded', 'paid'],
      ['customer.subscription.updated', 'active'],
    ]);
    // The renewal is a new invoice: a failure of the first, already paid one would open nothing.
    const invoices = endpoint.received
      .filter((e) => e.type.startsWith('invoice.'))
      .map((e) => e.object.id);
    expect(invoices[1]).not.toBe(invoices[0]);
    expect(invoices[2]).toBe(invoices[1]);
  });

  it('plays payment-failed-canceled and waits out a short DUNNING_CANCEL before the deletion', async () => {
    const code = await send(['--scenario', 'payment-failed-canceled'], {
      DUNNING_REMINDERS: '10 seconds',
      DUNNING_GRACE: '20 seconds',
      DUNNING_CANCEL: '1 minute',
    });

    expect(code).toBe(0);
    expect(sleeps).toEqual([65_000]);
    expect(endpoint.received.slice(4).map((e) => [e.type, e.object.status])).toEqual([
      ['invoice.payment_failed', 'open'],
      ['customer.subscription.updated', 'past_due'],
      ['customer.subscription.deleted', 'canceled'],
    ]);
  });

  it('sends the deletion at once when DUNNING_CANCEL is days away, and says why', async () => {
    expect(await send(['--scenario', 'payment-failed-canceled'])).toBe(0);

    expect(sleeps).toEqual([]);
    expect(endpoint.received.at(-1)?.type).toBe('customer.subscription.deleted');
    expect(output.join('\n')).toContain('DUNNING_CANCEL="1 minute"');
  });

  it('lists the valid event types when the type is unknown', async () => {
    expect(await send(['invoice.paid'])).toBe(2);

    expect(output.join('\n')).toContain(
      'Unknown event type "invoice.paid". Valid types: checkout.session.completed,',
    );
    expect(endpoint.received).toEqual([]);
  });

  it('lists the valid scenarios when the scenario is unknown', async () => {
    expect(await send(['--scenario', 'churn'])).toBe(2);

    expect(output.join('\n')).toContain(
      'Unknown scenario "churn". Valid scenarios: new-subscriber, payment-recovered, payment-failed-canceled.',
    );
  });

  it('runs as the npm script entry point and exits 0 after a 2xx answer', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/stripe-send.ts',
        'customer.subscription.updated',
        '--url',
        endpoint.url,
      ],
      { cwd: ROOT, env: { ...process.env, ...env, STRIPE_WEBHOOK_SECRET: '' }, stdio: 'pipe' },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(0);
    expect(stdout).toMatch(/^POST customer\.subscription\.updated evt_\w+ \(cus_\w+\)$/m);
    expect(endpoint.received.map((e) => e.type)).toEqual(['customer.subscription.updated']);
  }, 30_000);
});
