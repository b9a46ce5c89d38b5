/**
 * One drill's stack: its own Temporal dev server (state in a file) and FerretDB (state in a dir),
 * a Stripe recorder in front of the shared stripe-mock, the shared SMTP catcher, and the real API
 * and worker processes. Each piece can be killed and started again on the same port and state.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { freePort } from '../../../scripts/lib/ports';
import { LOCAL_DEV_WEBHOOK_SECRET } from '../../../src/config';
import { connectMongo } from '../../../src/db/connection';
import { signedRequest, type StripeEventFixture } from '../../support/stripe-fixtures';
import { testStack } from '../../support/stack-env';
import { Child, eventually, startApi, startFerret, startTemporal, startWorker } from './processes';
import { startStripeRecorder, type StripeRecorder } from './stripe-recorder';

export const DRILL_ADMIN_TOKEN = 'fault-drill-admin-token-0123456789';

export interface FaultStackOptions {
  label: string;
  /** Extra environment for the API and worker, e.g. short DUNNING_* offsets. */
  env?: NodeJS.ProcessEnv;
}

/** What a delivery got: the HTTP status, or `no_answer` when the connection failed or hung. */
export type DeliveryResult = number | 'no_answer';

export class FaultStack {
  temporal!: Child;
  ferret!: Child;
  api!: Child;
  worker!: Child;
  stripe!: StripeRecorder;
  private mongo: Connection | undefined;
  readonly dir: string;
  readonly temporalDb: string;
  readonly mongoDir: string;
  temporalPort = 0;
  mongoPort = 0;
  apiPort = 0;
  readonly taskQueue: string;

  constructor(private readonly options: FaultStackOptions) {
    this.dir = mkdtempSync(join(tmpdir(), `citrus-drill-${options.label}-`));
    this.temporalDb = join(this.dir, 'temporal.db');
    this.mongoDir = join(this.dir, 'mongo');
    this.taskQueue = `drill-${options.label}-${Date.now()}`;
  }

  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.mongoPort}/drill_${this.options.label}`;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.mongoDir);
    [this.temporalPort, this.mongoPort, this.apiPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    this.stripe = await startStripeRecorder(testStack().stripeApiBase);
    [this.temporal, this.ferret] = await Promise.all([
      startTemporal(this.temporalPort, this.temporalDb),
      startFerret(this.mongoPort, this.mongoDir),
    ]);
    [this.worker, this.api] = await Promise.all([this.startWorker(), this.startApi()]);
  }

  env(): NodeJS.ProcessEnv {
    const stack = testStack();
    return {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(this.apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${this.temporalPort}`,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      TEMPORAL_RPC_TIMEOUT: '3s',
      MONGODB_URI: this.mongoUri,
      STRIPE_API_BASE: this.stripe.base,
      STRIPE_SECRET_KEY: '',
      SMTP_URL: stack.smtpUrl,
      ADMIN_API_TOKEN: DRILL_ADMIN_TOKEN,
      STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
      ...this.options.env,
    };
  }

  startApi(): Promise<Child> {
    return startApi(this.env()).then((api) => (this.api = api));
  }

  startWorker(): Promise<Child> {
    return startWorker(this.env()).then((worker) => (this.worker = worker));
  }

  async restartTemporal(): Promise<void> {
    this.temporal = await startTemporal(this.temporalPort, this.temporalDb);
  }

  async restartFerret(): Promise<void> {
    this.ferret = await startFerret(this.mongoPort, this.mongoDir);
  }

  /** One signed delivery, as Stripe makes it: 10 s timeout, any failure is "no answer". */
  async deliver(event: StripeEventFixture): Promise<DeliveryResult> {
    const { body, headers } = signedRequest(event);
    try {
      const res = await fetch(`${this.apiBase}/api/subscription/webhook`, {
        method: 'POST',
        body,
        headers,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 'no_answer';
    }
  }

  /** Delivers every event concurrently, `width` at a time, and returns the result per event ID. */
  async burst(events: StripeEventFixture[], width = 8): Promise<Map<string, DeliveryResult>> {
    const results = new Map<string, DeliveryResult>();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < events.length) {
        const event = events[next++] as StripeEventFixture;
        results.set(event.id, await this.deliver(event));
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
    return results;
  }

  /**
   * Stripe-style redelivery: every event that did not get a 2xx is sent again until it does (the
   * real schedule backs off over days; here a second apart), bounded by `timeoutMs`.
   */
  async redeliverUntilAccepted(
    events: StripeEventFixture[],
    results: Map<string, DeliveryResult>,
    timeoutMs = 60_000,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let redeliveries = 0;
    for (;;) {
      const pending = events.filter((e) => !isAccepted(results.get(e.id)));
      if (pending.length === 0) return redeliveries;
      if (Date.now() > deadline) {
        throw new Error(`${pending.length} events still not accepted after redelivery`);
      }
      redeliveries += pending.length;
      for (const [id, result] of await this.burst(pending)) results.set(id, result);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async db(): Promise<Connection> {
    this.mongo ??= await connectMongo(this.mongoUri, { serverSelectionTimeoutMs: 5000 });
    return this.mongo;
  }

  /** applied_events documents of the given customers: event ID and how often it appears. */
  async appliedEventCounts(customerIds: string[]): Promise<Map<string, number>> {
    const docs = await (
      await this.db()
    )
      .collection<{ eventId: string }>('applied_events')
      .find({ customerId: { $in: customerIds } })
      .toArray();
    const counts = new Map<string, number>();
    for (const doc of docs) counts.set(doc.eventId, (counts.get(doc.eventId) ?? 0) + 1);
    return counts;
  }

  /** Customers whose projected view is an active subscription with access. */
  async activeCustomers(customerIds: string[]): Promise<number> {
    return (await this.db())
      .collection('customers')
      .countDocuments({ customerId: { $in: customerIds }, status: 'active', access: 'active' });
  }

  /**
   * Waits until every expected event is in applied_events and every customer's view is active,
   * then returns the counts per event ID.
   */
  async converged(
    expected: string[],
    customerIds: string[],
    timeoutMs = 90_000,
  ): Promise<Map<string, number>> {
    return eventually(async () => {
      const counts = await this.appliedEventCounts(customerIds);
      const missing = expected.filter((id) => !counts.has(id));
      if (missing.length > 0) throw new Error(`${missing.length} accepted events not applied yet`);
      const active = await this.activeCustomers(customerIds);
      if (active < customerIds.length) {
        throw new Error(`${active}/${customerIds.length} customers projected active`);
      }
      return counts;
    }, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.mongo?.close().catch(() => undefined);
    await Promise.all([this.api?.stop(), this.worker?.stop()]);
    await Promise.all([this.temporal?.stop(), this.ferret?.stop(), this.stripe?.close()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function isAccepted(result: DeliveryResult | undefined): boolean {
  return typeof result === 'number' && result >= 200 && result < 300;
}

/** Lost: accepted but never applied. Doubled: applied more than once. */
export function tally(
  expected: string[],
  counts: Map<string, number>,
): { lost: string[]; doubled: string[] } {
  return {
    lost: expected.filter((id) => !counts.has(id)),
    doubled: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
  };
}
