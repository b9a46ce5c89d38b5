/**
 * End-to-end figures through the read API: the steady-rate latency from an accepted webhook until
 * `GET /customers/:id/events` lists the event, and the time for a burst to be fully applied,
 * checked event by event.
 */
import type { Connection } from 'mongoose';
import { ackLoad, type AckResult } from './load';
import type { Delivery } from './events';
import { percentile, sleep } from './stats';

interface AppliedEventBody {
  eventId: string;
  appliedAt: string;
  outcome: string;
}

export class ReadApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async events(customerId: string): Promise<AppliedEventBody[]> {
    const res = await fetch(`${this.baseUrl}/api/subscription/customers/${customerId}/events`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`read API answered ${res.status} for ${customerId}`);
    return (await res.json()) as AppliedEventBody[];
  }
}

async function post(url: string, d: Delivery): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    body: d.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': d.signature },
  });
  await res.arrayBuffer();
  return res.status;
}

export interface SteadyResult {
  sent: number;
  errors: number;
  /** Accepted (200 received) until the read API lists the event, ms. */
  p50: number;
  p99: number;
  /** Accepted until the projection's own `appliedAt` stamp, ms (workflow clock, same host). */
  appliedAtP50: number;
  unseen: number;
}

/**
 * Open-loop sender at `rate` events/s. Accepted events are probed by one poller per customer
 * (every `probeMs`), not one per event: a poller per event every 100 ms once made the probes
 * the MongoDB server's main load (bench/FIXES.md); 500 ms is fine grain next to visibility
 * latencies of seconds.
 */
export async function steadyRate(
  webhookUrl: string,
  read: ReadApi,
  deliveries: readonly Delivery[],
  rate: number,
  probeMs = 500,
  timeoutMs = 60_000,
): Promise<SteadyResult> {
  const visible: number[] = [];
  const stamped: number[] = [];
  let errors = 0;
  let unseen = 0;
  /** Per customer: accepted event ID -> when its 200 arrived; the poller drains it. */
  const waiting = new Map<string, Map<string, number>>();
  const pollers: Array<Promise<void>> = [];
  let sending = true;
  const poll = async (customerId: string, pending: Map<string, number>) => {
    while (pending.size > 0 || sending) {
      if (pending.size > 0) {
        const events = await read.events(customerId).catch(() => []);
        const now = performance.now();
        for (const found of events) {
          const acceptedAt = pending.get(found.eventId);
          if (acceptedAt === undefined) continue;
          pending.delete(found.eventId);
          visible.push(now - acceptedAt);
          const acceptedWall = Date.now() - (now - acceptedAt);
          stamped.push(Date.parse(found.appliedAt) - acceptedWall);
        }
        for (const [eventId, acceptedAt] of pending) {
          if (now - acceptedAt <= timeoutMs) continue;
          pending.delete(eventId);
          unseen++;
        }
      }
      await sleep(probeMs);
    }
  };
  const accepted = (d: Delivery, at: number) => {
    let pending = waiting.get(d.customerId);
    if (!pending) {
      pending = new Map();
      waiting.set(d.customerId, pending);
      pollers.push(poll(d.customerId, pending));
    }
    pending.set(d.eventId, at);
  };
  const start = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let i = 0; i < deliveries.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const d = deliveries[i] as Delivery;
    sends.push(
      post(webhookUrl, d).then(
        (status) => {
          if (status !== 200) {
            errors++;
            return;
          }
          accepted(d, performance.now());
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(sends);
  sending = false;
  await Promise.all(pollers);
  return {
    sent: deliveries.length,
    errors,
    p50: percentile(visible, 50),
    p99: percentile(visible, 99),
    appliedAtP50: percentile(stamped, 50),
    unseen,
  };
}

/**
 * Number of documents in the event log, from `collStats` (a row count in FerretDB's SQLite;
 * its `count` command decodes every document, and polling it every 100 ms made the benchmark
 * FerretDB's main load). Falls back to `count` where `collStats` is refused.
 */
export async function appliedCount(db: Connection): Promise<number> {
  try {
    const stats = await db.db?.command({ collStats: 'applied_events' });
    if (typeof stats?.count === 'number') return stats.count;
  } catch {
    // A server without collStats: the count command below.
  }
  return db.collection('applied_events').estimatedDocumentCount();
}

/** Waits until the event log holds at least `target` documents; returns when that was seen. */
export async function waitForApplied(
  db: Connection,
  target: number,
  timeoutMs: number,
  pollMs = 250,
): Promise<{ reachedAt: number | undefined; count: number }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const count = await appliedCount(db);
    if (count >= target) return { reachedAt: performance.now(), count };
    if (performance.now() > deadline) return { reachedAt: undefined, count };
    await sleep(pollMs);
  }
}

export interface BurstResult {
  ack: AckResult;
  /** Burst start until the last event was in the event log, s. */
  seconds: number;
  appliedPerSecond: number;
  /** Events listed exactly once by the read API, and the problems found. */
  verified: number;
  missing: number;
  duplicated: number;
  outcomes: Record<string, number>;
}

export async function burst(
  webhookUrl: string,
  read: ReadApi,
  db: Connection,
  deliveries: readonly Delivery[],
  connections: number,
  timeoutMs: number,
): Promise<BurstResult> {
  const before = await appliedCount(db);
  const start = performance.now();
  const ack = await ackLoad(webhookUrl, deliveries, connections, 120);
  const done = await waitForApplied(db, before + deliveries.length, timeoutMs, 100);
  const seconds = ((done.reachedAt ?? performance.now()) - start) / 1000;
  const check = await verify(read, deliveries);
  return {
    ack,
    seconds,
    appliedPerSecond: done.reachedAt ? deliveries.length / seconds : Number.NaN,
    ...check,
  };
}

/** Every delivered event must be listed once, under its customer, by the read API. */
async function verify(read: ReadApi, deliveries: readonly Delivery[]) {
  const expected = new Map<string, Set<string>>();
  for (const d of deliveries) {
    expected.set(d.customerId, (expected.get(d.customerId) ?? new Set()).add(d.eventId));
  }
  let verified = 0;
  let missing = 0;
  let duplicated = 0;
  const outcomes: Record<string, number> = {};
  const customers = [...expected.keys()];
  const worker = async () => {
    for (let c = customers.shift(); c !== undefined; c = customers.shift()) {
      const listed = await read.events(c);
      const seen = new Map<string, number>();
      for (const e of listed) {
        seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
        outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
      }
      for (const id of expected.get(c) ?? []) {
        const n = seen.get(id) ?? 0;
        if (n === 0) missing++;
        else if (n > 1) duplicated++;
        else verified++;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { verified, missing, duplicated, outcomes };
}
