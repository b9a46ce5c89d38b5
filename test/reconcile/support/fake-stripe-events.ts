/**
 * A local HTTP fake of Stripe's `GET /v1/events`, because stripe-mock serves one static page.
 * It filters by `created[gte|lte]` and `types[]`, sorts newest first, pages with `limit` and
 * `starting_after` exactly as Stripe documents, records every request, and can be told to fail.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string | null;
  livemode: boolean;
  pending_webhooks: number;
  request: null;
  data: {
    object: Record<string, unknown>;
    previous_attributes?: Record<string, unknown>;
  };
}

export interface ListRequest {
  gte: number | null;
  lte: number | null;
  types: string[];
  limit: number;
  startingAfter: string | null;
}

export interface FakeStripeEvents {
  /** Base URL for STRIPE_API_BASE. */
  url: string;
  events: FakeEvent[];
  requests: ListRequest[];
  /** Answers 500 to the next `times` list requests that match. */
  failWhen(match: (request: ListRequest) => boolean, times: number): void;
  close(): Promise<void>;
}

export async function startFakeStripeEvents(events: FakeEvent[] = []): Promise<FakeStripeEvents> {
  const requests: ListRequest[] = [];
  const failures: Array<{ match: (r: ListRequest) => boolean; left: number }> = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'GET' || url.pathname !== '/v1/events') {
      return send(res, 404, {
        error: { type: 'invalid_request_error', message: 'not faked' },
      });
    }
    const request = parseListRequest(url.searchParams);
    requests.push(request);
    const failure = failures.find((f) => f.left > 0 && f.match(request));
    if (failure) {
      failure.left -= 1;
      return send(res, 500, {
        error: { type: 'api_error', message: 'fake outage' },
      });
    }
    const matching = fake.events
      .filter((e) => request.gte === null || e.created >= request.gte)
      .filter((e) => request.lte === null || e.created <= request.lte)
      .filter((e) => request.types.length === 0 || request.types.includes(e.type))
      // Stripe's order: newest first; the ID breaks ties so pages are stable.
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    let start = 0;
    if (request.startingAfter !== null) {
      const at = matching.findIndex((e) => e.id === request.startingAfter);
      if (at < 0) {
        return send(res, 400, {
          error: {
            type: 'invalid_request_error',
            message: 'No such event',
            param: 'starting_after',
          },
        });
      }
      start = at + 1;
    }
    const data = matching.slice(start, start + request.limit);
    send(res, 200, {
      object: 'list',
      url: '/v1/events',
      has_more: start + request.limit < matching.length,
      data,
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeStripeEvents = {
    url: `http://127.0.0.1:${port}`,
    events,
    requests,
    failWhen(match, times) {
      failures.push({ match, left: times });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return fake;
}

function parseListRequest(params: URLSearchParams): ListRequest {
  const number = (key: string): number | null => {
    const value = params.get(key);
    return value === null ? null : Number(value);
  };
  const types: string[] = [];
  for (const [key, value] of params) {
    // stripe-node encodes arrays as types[0]=...&types[1]=...
    if (key === 'types[]' || /^types\[\d+\]$/.test(key)) types.push(value);
  }
  return {
    gte: number('created[gte]'),
    lte: number('created[lte]'),
    types,
    limit: number('limit') ?? 10,
    startingAfter: params.get('starting_after'),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
