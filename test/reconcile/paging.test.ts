/**
 * The reconciliation workflow against a local HTTP fake of Stripe's events endpoint, on the
 * Temporal dev server, with a real MongoDB checkpoint and a recording signaler at the function
 * boundary (the end-to-end path with real customer workflows is in stack.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import type { EventSignaler } from '../../src/ingest/signal';
import {
  RECONCILE_WORKFLOW_TYPE,
  type ReconcileResult,
} from '../../workflows/reconcile/definitions';
import type { reconciliationWorkflow } from '../../workflows/reconcile/workflow';
import { eventually, startHarness, type Harness } from './support/harness';
import {
  startFakeStripeEvents,
  type FakeEvent,
  type FakeStripeEvents,
} from './support/fake-stripe-events';
import { invoicePaid, subscriptionUpdated } from './support/events';

jest.setTimeout(120_000);

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** 250 handled events over the last hour (three pages of 100), every fifth one undelivered. */
function lastHourOfEvents(count = 250): FakeEvent[] {
  const start = nowSeconds() - 3600;
  return Array.from({ length: count }, (_, i) => {
    const spec = {
      id: `evt_${String(i).padStart(4, '0')}`,
      customerId: `cus_R${i % 7}`,
      created: start + i * 10,
      pendingWebhooks: i % 5 === 0 ? 1 : 0,
    };
    return i % 2 === 0
      ? subscriptionUpdated({ ...spec, subscriptionId: `sub_R${i % 7}`, status: 'active' })
      : invoicePaid({ ...spec, invoiceId: `in_R${i}` });
  });
}

/** Records what it is asked to signal; `failing` decides per event whether Temporal "refuses". */
class RecordingSignaler implements EventSignaler {
  readonly signaled: NormalizedEvent[] = [];
  failures = 0;
  failing: (event: NormalizedEvent) => boolean = () => false;

  signal(event: NormalizedEvent) {
    if (this.failing(event)) {
      this.failures += 1;
      return Promise.reject(new Error('signal refused by the test'));
    }
    this.signaled.push(event);
    return Promise.resolve({ workflowId: `customer-${event.customerId}`, runId: 'run' });
  }

  ids(): Set<string> {
    return new Set(this.signaled.map((e) => e.id));
  }
}

describe('reconciliation paging', () => {
  let fake: FakeStripeEvents;
  let signaler: RecordingSignaler;
  let harness: Harness;

  beforeEach(async () => {
    fake = await startFakeStripeEvents(lastHourOfEvents());
    signaler = new RecordingSignaler();
    harness = await startHarness({ stripeApiBase: fake.url, signaler, label: 'reconcile' });
  });

  afterEach(async () => {
    await harness.close();
    await fake.close();
  });

  function run(workflowId = `reconcile-${randomUUID()}`): Promise<ReconcileResult> {
    return harness.client.workflow.execute<typeof reconciliationWorkflow>(RECONCILE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: harness.taskQueue,
      args: [{}],
    });
  }

  it('pages through every event, signals each once and advances the checkpoint', async () => {
    const result = await harness.withWorker(() => run());

    const all = fake.events.map((e) => e.id);
    expect(signaler.ids()).toEqual(new Set(all));
    expect(signaler.signaled).toHaveLength(all.length);
    expect(signaler.signaled.every((e) => e.source === 'reconciliation')).toBe(true);
    expect(result).toMatchObject({ listed: 250, signaled: 250, pages: 3, ignored: 0, invalid: 0 });
    expect(result.missedByWebhook).toBe(50);

    // Three list calls chained by starting_after, filtered to the six handled types.
    expect(fake.requests.map((r) => r.startingAfter)).toEqual([null, 'evt_0150', 'evt_0050']);
    expect(fake.requests[0]?.types).toHaveLength(6);
    expect(fake.requests[0]?.limit).toBe(100);

    const stored = await harness.checkpoint.read();
    const newest = Math.max(...fake.events.map((e) => e.created));
    expect(stored.window).toBeNull();
    expect(stored.createdUpTo).toBeGreaterThanOrEqual(newest);
    expect(result.checkpoint).toBe(new Date((stored.createdUpTo ?? 0) * 1000).toISOString());

    const metrics = await harness.registry.getSingleMetricAsString(
      'citrus_reconcile_events_missed_by_webhook_total',
    );
    expect(metrics).toContain('citrus_reconcile_events_missed_by_webhook_total 50');
  });

  it('starts the next run at the checkpoint minus the overlap and counts no miss twice', async () => {
    await harness.withWorker(async () => {
      const first = await run();
      const checkpoint = (await harness.checkpoint.read()).createdUpTo ?? 0;
      const late = subscriptionUpdated({
        id: 'evt_late',
        customerId: 'cus_Late',
        subscriptionId: 'sub_Late',
        status: 'past_due',
        created: checkpoint + 1,
        pendingWebhooks: 1,
      });
      fake.events.push(late);
      await eventually(() => nowSeconds() > late.created);
      signaler.signaled.length = 0;

      const second = await run();

      expect(fake.requests.at(-1)?.gte).toBe(checkpoint - 600);
      // Only the overlap (the last ten minutes) and the new event are listed again ...
      const inOverlap = fake.events.filter((e) => e.created >= checkpoint - 600).length;
      expect(second.listed).toBe(inOverlap);
      expect(signaler.ids().has('evt_late')).toBe(true);
      // ... and only the new one counts as missed: the overlap's misses were counted before.
      expect(second.missedByWebhook).toBe(1);
      expect(first.missedByWebhook + second.missedByWebhook).toBe(51);
      expect((await harness.checkpoint.read()).createdUpTo).toBeGreaterThan(checkpoint);
    });
  });

  it('lists exactly the asked window on demand and leaves the scheduled checkpoint alone', async () => {
    const since = fake.events[100]?.created ?? 0;
    const until = fake.events[149]?.created ?? 0;

    const result = await harness.withWorker(() =>
      harness.client.workflow.execute<typeof reconciliationWorkflow>(RECONCILE_WORKFLOW_TYPE, {
        workflowId: `reconcile-${randomUUID()}`,
        taskQueue: harness.taskQueue,
        args: [{ since, until }],
      }),
    );

    expect(fake.requests[0]).toMatchObject({ gte: since, lte: until });
    expect(result).toMatchObject({ listed: 50, signaled: 50, pages: 1, checkpoint: null });
    expect(await harness.checkpoint.read()).toEqual({ createdUpTo: null, window: null });
  });

  it('retries a page Stripe fails for a while without listing earlier pages again', async () => {
    // stripe-node retries twice itself, so four failures also fail one activity attempt.
    fake.failWhen((r) => r.startingAfter === 'evt_0150', 4);

    const result = await harness.withWorker(() => run());

    expect(signaler.ids()).toEqual(new Set(fake.events.map((e) => e.id)));
    expect(result).toMatchObject({ listed: 250, signaled: 250, pages: 3 });
    expect(fake.requests.filter((r) => r.startingAfter === null)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.startingAfter === 'evt_0150')).toHaveLength(5);
  });

  it('retries a page whose signals Temporal refused for a while and loses no event', async () => {
    let refusals = 2;
    signaler.failing = (e) => e.id === 'evt_0120' && refusals-- > 0;

    const result = await harness.withWorker(() => run());

    expect(signaler.failures).toBe(2);
    expect(signaler.ids()).toEqual(new Set(fake.events.map((e) => e.id)));
    expect(result).toMatchObject({ listed: 250, signaled: 250, pages: 3 });
    expect(fake.requests.filter((r) => r.startingAfter === null)).toHaveLength(1);
  });

  it('resumes a run that died halfway from the stored cursor and loses no event', async () => {
    let refusing = true;
    signaler.failing = (e) => refusing && e.id === 'evt_0120';

    const handle = await harness.withWorker(async () => {
      const started = await harness.client.workflow.start<typeof reconciliationWorkflow>(
        RECONCILE_WORKFLOW_TYPE,
        { workflowId: `reconcile-${randomUUID()}`, taskQueue: harness.taskQueue, args: [{}] },
      );
      await eventually(() => signaler.failures >= 1);
      await started.terminate('the test kills the run halfway');
      return started;
    });
    await expect(handle.result()).rejects.toThrow();

    // Page 1 was delivered and stored; page 2 was not, so the checkpoint did not move past it.
    const stored = await harness.checkpoint.read();
    expect(stored.window?.cursor).toBe('evt_0150');
    const pageOne = new Set(
      fake.events
        .filter((e) => e.created > 0)
        .slice(150)
        .map((e) => e.id),
    );
    expect([...pageOne].every((id) => signaler.ids().has(id))).toBe(true);

    refusing = false;
    const before = fake.requests.length;
    const result = await harness.withWorker(() => run());

    const resumedFirst = fake.requests[before];
    expect(resumedFirst).toMatchObject({ startingAfter: 'evt_0150', lte: stored.window?.lte });
    expect(signaler.ids()).toEqual(new Set(fake.events.map((e) => e.id)));
    expect(result.windows).toHaveLength(2);
    expect((await harness.checkpoint.read()).window).toBeNull();
  });
});
