/**
 * What keeps a customer's workflow correct over months: continue-as-new, a Worker restart in the
 * middle of dunning, and completion when idle followed by a fresh run that resumes from MongoDB.
 * On a time-skipping server of this file's own, with fake activities.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ProjectStateInput } from '../../activities/contract';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import type { DunningStep } from '../../workflows/customer/state';
import { toCustomerView } from '../../workflows/customer/view';
import { customerStateQuery, customerWorkflowId } from '../../workflows/definitions';
import { invoiceEvent, subscriptionEvent, subscriptionSnapshot } from './support/events';
import { eventsOf, FakeActivities } from './support/fake-activities';
import {
  createWorker,
  eventually,
  sendEvent,
  terminateCustomer,
  uniqueCustomerId,
  uniqueTaskQueue,
  waitForState,
} from './support/time-skipping';
import {
  startIsolatedTimeSkippingEnv,
  type IsolatedTimeSkippingEnv,
} from '../support/time-skipping-env';

const DAY = 86_400_000;
/**
 * A step runs in the workflow task its timer wakes; that task's time is a few ms after the timer
 * on the test server. A schedule that slipped or restarted would be off by days, not ms.
 */
const ON_TIME_MS = 60_000;
const lateness = (step: DunningStep): number => (step.doneAt ?? Infinity) - step.dueAt;

describe('customerSubscriptionWorkflow over a long life', () => {
  let server: IsolatedTimeSkippingEnv;
  let env: TestWorkflowEnvironment;
  let fake: FakeActivities;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let customerId: string;

  // A server per test, not per file: after the continue-as-new test, a later test's env.sleep on
  // the same Java test server never returned even though its workflows were all terminated.
  // TODO(time-skipping): find what still holds the server's time-skipping lock after that test.
  beforeEach(async () => {
    server = await startIsolatedTimeSkippingEnv();
    env = server.env;
    fake = new FakeActivities();
    taskQueue = uniqueTaskQueue('durability');
    customerId = uniqueCustomerId();
    worker = await createWorker(env, fake, taskQueue);
    running = worker.run();
  });
  afterEach(async () => {
    await terminateCustomer(env, customerId);
    worker.shutdown();
    await running;
    await server.stop();
  });

  const send = (event: NormalizedEvent) => sendEvent(env, taskQueue, event);

  /** How often each event ID reached the projection (alone or in a batch). */
  const projectedCounts = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const { eventId } of fake.projections.flatMap(eventsOf)) {
      counts.set(eventId, (counts.get(eventId) ?? 0) + 1);
    }
    return counts;
  };

  /** Run IDs of the chain that starts at `runId`, following each continue-as-new. */
  async function runChain(runId: string): Promise<string[]> {
    const chain = [runId];
    for (;;) {
      const history = await env.client.workflow
        .getHandle(customerWorkflowId(customerId), chain[chain.length - 1])
        .fetchHistory();
      const last = history.events?.[history.events.length - 1];
      const next = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (!next) return chain;
      chain.push(next);
    }
  }

  describe('a backlog of queued events', () => {
    const SUB = 'sub_Bat1';
    const created = () =>
      subscriptionEvent('customer.subscription.created', subscriptionSnapshot(SUB, 'active'), {
        created: 1000,
        customerId,
      });
    const paid = (n: number) =>
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: `in_Bat${n}`, subscriptionId: SUB },
        { created: 2000 + n, customerId },
      );

    /** Delivers while no Worker polls the queue, so every event waits in the first task. */
    async function deliverBacklog(events: NormalizedEvent[]): Promise<Worker> {
      const idleQueue = uniqueTaskQueue('backlog');
      for (const event of events) await sendEvent(env, idleQueue, event);
      return createWorker(env, fake, idleQueue);
    }

    it('applies a backlog with one projection that logs each event once, in delivery order', async () => {
      const events = [created(), ...Array.from({ length: 6 }, (_, i) => paid(i))];
      const late = await deliverBacklog(events);
      // A query needs a polling Worker, so it runs before this one shuts down.
      const state = await late.runUntil(async () => {
        await eventually(() => projectedCounts().size === events.length, 'the backlog');
        return env.client.workflow
          .getHandle(customerWorkflowId(customerId))
          .query(customerStateQuery);
      });

      expect(fake.projections).toHaveLength(1);
      expect(eventsOf(fake.projections[0]!).map((e) => e.eventId)).toEqual(events.map((e) => e.id));
      expect(state.seq).toBe(events.length);
      expect(fake.projections[0]!.seq).toBe(events.length);
      expect(fake.lastView()).toEqual(toCustomerView(state));
    });

    it('splits a backlog larger than the run bound across runs, applying every event once', async () => {
      fake.settings = { ...fake.settings, maxEventsPerRun: 4 };
      const events = [created(), ...Array.from({ length: 9 }, (_, i) => paid(i))];
      const late = await deliverBacklog(events);
      await late.runUntil(
        eventually(() => projectedCounts().size === events.length, 'the backlog'),
      );

      expect([...projectedCounts().values()].every((n) => n === 1)).toBe(true);
      expect(fake.projections.every((p) => eventsOf(p).length <= 4)).toBe(true);
      expect(fake.projections.length).toBeLessThan(events.length);
    });
  });

  describe('continue-as-new', () => {
    const SUB = 'sub_Can1';
    const paid = (n: number, id?: string) =>
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: `in_Can${n}`, subscriptionId: SUB },
        { created: 2000 + n, customerId, id },
      );

    it('loses no event, applies none twice and keeps the dedupe window across several runs', async () => {
      fake.settings = { ...fake.settings, maxEventsPerRun: 5 };
      const first = subscriptionEvent(
        'customer.subscription.created',
        subscriptionSnapshot(SUB, 'active'),
        { created: 1000, customerId },
      );
      const handle = await send(first);
      const sent: NormalizedEvent[] = [first];

      // Batches of exactly the bound: each run ends once its batch is applied and nothing waits.
      for (let batch = 0; batch < 4; batch++) {
        const runBefore = (await handle.describe()).runId;
        const size = batch === 0 ? 4 : 5;
        for (let i = 0; i < size; i++) {
          const event = paid(batch * 5 + i);
          sent.push(event);
          await send(event);
        }
        await eventually(() => projectedCounts().size === sent.length, `batch ${batch}`);
        await eventually(
          async () => (await handle.describe()).runId !== runBefore,
          `the run after batch ${batch}`,
        );
      }
      // A burst with redeliveries, signalled while runs are ending and starting.
      const burst = Array.from({ length: 14 }, (_, i) => paid(100 + i));
      sent.push(...burst);
      await Promise.all([...burst, first, sent[3] as NormalizedEvent, burst[0]!].map(send));
      await eventually(() => projectedCounts().size === sent.length, 'the burst');

      // The latest run may still continue as new after the burst: read it first, then the chain.
      const description = await handle.describe();
      const chain = await runChain(handle.signaledRunId);
      expect(chain.length).toBeGreaterThanOrEqual(5);
      expect(chain).toContain(description.runId);
      expect(description.runId).not.toBe(handle.signaledRunId);

      // Redelivered after all those boundaries: dropped by the carried window.
      await send(first);
      const marker = paid(999);
      await send(marker);
      sent.push(marker);
      const state = await waitForState(
        handle,
        (s) => s.appliedEvents.some(([id]) => id === marker.id),
        'the marker',
      );
      await eventually(() => projectedCounts().has(marker.id), 'the marker projection');

      const counts = projectedCounts();
      expect([...counts.keys()].sort()).toEqual(sent.map((e) => e.id).sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(state.seq).toBe(sent.length);
      expect(state.appliedEvents.map(([id]) => id).sort()).toEqual(sent.map((e) => e.id).sort());
      expect(state.paidInvoices).toHaveLength(sent.length - 1);
      // Only the first run of the chain had nothing carried, so only it read MongoDB.
      expect(fake.loads).toBe(1);
    });

    it('carries an open dunning case across the boundary and runs its steps on time', async () => {
      fake.settings = { ...fake.settings, maxEventsPerRun: 2 };
      const handle = await send(
        subscriptionEvent('customer.subscription.created', subscriptionSnapshot(SUB, 'active'), {
          created: 1000,
          customerId,
        }),
      );
      await send(
        invoiceEvent(
          'invoice.payment_failed',
          { id: 'in_CanF', subscriptionId: SUB },
          { created: 1001, customerId },
        ),
      );
      await eventually(() => fake.sentKeys().includes('in_CanF:notice'), 'the notice');
      await eventually(async () => (await runChain(handle.signaledRunId)).length >= 2, 'a new run');

      await env.sleep('3 days');
      await eventually(() => fake.sentKeys().includes('in_CanF:reminder-1'), 'reminder 1');
      const state = await waitForState(
        handle,
        (s) =>
          s.dunning.in_CanF?.steps.some((st) => st.name === 'reminder-1' && st.doneAt) === true,
        'reminder 1 done',
      );
      const dunning = state.dunning.in_CanF!;
      const reminder = dunning.steps.find((s) => s.name === 'reminder-1')!;
      expect(reminder.dueAt - dunning.startedAt).toBe(3 * DAY);
      expect(lateness(reminder)).toBeLessThan(ON_TIME_MS);
      expect(fake.sentKeys()).toEqual(['in_CanF:notice', 'in_CanF:reminder-1']);
    });
    it('never applies more events in one run than the bound while events keep arriving', async () => {
      fake.settings = { ...fake.settings, maxEventsPerRun: 5 };
      const first = subscriptionEvent(
        'customer.subscription.created',
        subscriptionSnapshot(SUB, 'active'),
        { created: 1000, customerId },
      );
      const handle = await send(first);
      const burst = Array.from({ length: 23 }, (_, i) => paid(300 + i));
      await Promise.all(burst.map(send));
      await eventually(() => projectedCounts().size === burst.length + 1, 'the burst');

      const perRun: number[] = [];
      for (const runId of await runChain(handle.signaledRunId)) {
        const history = await env.client.workflow
          .getHandle(customerWorkflowId(customerId), runId)
          .fetchHistory();
        const projected = (history.events ?? []).flatMap((e) => {
          const scheduled = e.activityTaskScheduledEventAttributes;
          if (scheduled?.activityType?.name !== 'projectState') return [];
          return eventsOf(projectionInputOf(scheduled.input?.payloads?.[0]?.data));
        });
        perRun.push(projected.length);
      }
      expect(perRun.reduce((a, b) => a + b, 0)).toBe(burst.length + 1);
      expect(Math.max(...perRun)).toBeLessThanOrEqual(5);
      expect([...projectedCounts().values()].every((n) => n === 1)).toBe(true);
    });
  });

  describe('a Worker restart in the middle of dunning', () => {
    const SUB = 'sub_Rst1';
    const INVOICE = 'in_Rst1';

    it('resumes the schedule where it was: each step once, at its original time', async () => {
      // Without a workflow cache the old Worker polls no sticky queue. The Java test server never
      // moves a task off a dead Worker's sticky queue (a real server does after 10 s), so with one
      // the new Worker would wait forever. Each task of the new Worker still rebuilds the run
      // from history, which is what a restart does.
      worker.shutdown();
      await running;
      worker = await createWorker(env, fake, taskQueue, { maxCachedWorkflows: 0 });
      running = worker.run();
      const handle = await send(
        subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(SUB, 'active'), {
          created: 1000,
          customerId,
        }),
      );
      await send(
        invoiceEvent(
          'invoice.payment_failed',
          { id: INVOICE, subscriptionId: SUB },
          { created: 1001, customerId },
        ),
      );
      await eventually(() => fake.sentKeys().includes(`${INVOICE}:notice`), 'the notice');
      await env.sleep('1 day');

      // The old Worker goes away with its cache; the new one rebuilds the run from history.
      // `fake` stays: it stands for MongoDB and the outbox, which outlive any Worker.
      worker.shutdown();
      await running;
      worker = await createWorker(env, fake, taskQueue, { maxCachedWorkflows: 0 });
      running = worker.run();

      for (const [days, step] of [
        [2, 'reminder-1'],
        [2, 'reminder-2'],
        [2, 'suspend'],
        [7, 'cancel'],
      ] as const) {
        await env.sleep(days * DAY);
        await eventually(() => fake.sentKeys().includes(`${INVOICE}:${step}`), step, 30_000);
      }
      const state = await waitForState(
        handle,
        (s) => s.dunning[INVOICE]?.outcome === 'canceled',
        'the close',
      );

      const keys = fake.sendAttempts.map((s) => s.key);
      expect(keys).toEqual(
        ['notice', 'reminder-1', 'reminder-2', 'suspend', 'cancel'].map((s) => `${INVOICE}:${s}`),
      );
      expect(fake.cancels).toHaveLength(1);
      const dunning = state.dunning[INVOICE]!;
      const offsets = Object.fromEntries(
        dunning.steps.map((s) => [s.name, s.dueAt - dunning.startedAt]),
      );
      expect(dunning.steps.every((s) => lateness(s) < ON_TIME_MS)).toBe(true);
      expect(offsets).toEqual({
        notice: 0,
        'reminder-1': 3 * DAY,
        'reminder-2': 5 * DAY,
        suspend: 7 * DAY,
        cancel: 14 * DAY,
      });
    }, 120_000);
  });

  describe('completion when idle', () => {
    const SUB = 'sub_Idle1';

    it('completes after the idle timeout; a later event starts a run that resumes from MongoDB', async () => {
      const created = subscriptionEvent(
        'customer.subscription.created',
        subscriptionSnapshot(SUB, 'active'),
        { created: 1000, customerId },
      );
      const first = await send(created);
      await send(
        subscriptionEvent('customer.subscription.deleted', subscriptionSnapshot(SUB, 'canceled'), {
          created: 1001,
          customerId,
        }),
      );
      await waitForState(first, (s) => s.seq >= 2, 'the deletion');
      expect(fake.loads).toBe(1);

      await env.sleep('29 days');
      expect((await first.describe()).status.name).toBe('RUNNING');
      await env.sleep('2 days');
      await eventually(
        async () => (await first.describe()).status.name === 'COMPLETED',
        'the idle completion',
      );

      // Stripe redelivers an event the old run applied, then a new subscription begins.
      const again = await send(created);
      const resubscribed = subscriptionEvent(
        'customer.subscription.created',
        subscriptionSnapshot('sub_Idle2', 'active'),
        { created: 5000, customerId },
      );
      await send(resubscribed);
      const state = await waitForState(
        again,
        (s) => s.subscriptions.sub_Idle2?.status === 'active',
        'the new subscription',
      );

      expect(again.signaledRunId).not.toBe(first.signaledRunId);
      expect(fake.loads).toBe(2);
      expect(state.subscriptions[SUB]?.status).toBe('canceled');
      expect(state.seq).toBe(3);
      const projectedIds = fake.projections.flatMap(eventsOf).map((e) => e.eventId);
      expect(projectedIds.filter((id) => id === created.id)).toHaveLength(1);
      await fake.expectView({ subscriptionId: 'sub_Idle2', access: 'active' });
    });
  });
});

/** The projectState input recorded in a history (the default converter's JSON). */
function projectionInputOf(data: Uint8Array | null | undefined): ProjectStateInput {
  return JSON.parse(Buffer.from(data ?? []).toString('utf8')) as ProjectStateInput;
}
