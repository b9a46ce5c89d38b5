/**
 * A recording HTTP proxy in front of stripe-mock: the worker's STRIPE_API_BASE points here, so a
 * drill can count every mutating Stripe call by path and Idempotency-Key after a crash.
 */
import { createServer, request, type Server } from 'node:http';

export interface StripeCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

export interface StripeRecorder {
  base: string;
  calls: StripeCall[];
  /** POST and DELETE calls: the ones that change something in Stripe. */
  mutations(): StripeCall[];
  close(): Promise<void>;
}

export async function startStripeRecorder(target: string): Promise<StripeRecorder> {
  const upstream = new URL(target);
  const calls: StripeCall[] = [];
  const server: Server = createServer((req, res) => {
    const key = req.headers['idempotency-key'];
    calls.push({
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      idempotencyKey: typeof key === 'string' ? key : undefined,
    });
    // stripe-mock's customer fixture has no e-mail address; the drills need one to send to.
    const customer = /^\/v1\/customers\/(cus_[A-Za-z0-9]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && customer) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(customerFixture(customer[1] as string)));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    mutations: () => calls.filter((c) => c.method === 'POST' || c.method === 'DELETE'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The e-mail address the recorder gives a customer. */
export function drillEmail(customerId: string): string {
  return `billing+${customerId.toLowerCase()}@example.com`;
}

function customerFixture(id: string): Record<string, unknown> {
  return { id, object: 'customer', email: drillEmail(id), name: 'Drill Customer', deleted: false };
}
