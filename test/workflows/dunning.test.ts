/**
 * The 14-day dunning schedule and the billing-team controls, in seconds on the time-skipping
 * server, with fake activities.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  extendGraceUpdate,
  retryPaymentUpdate,
  waiveDunningUpdate,
} from '../../workflows/definitions';
import type { Worker } from '@temporalio/worker';
import { invoiceEvent, subscriptionEvent, subscriptionSnapshot } from './support/events';
import { FakeActivities } from './support/fake-activities';
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

const SUB = 'sub_Dun1';
const INVOICE = 'in_Dun1';
const DAY = 86_400_000;

describe('dunning in customerSubscriptionWorkflow', () => {
  let server: IsolatedTimeSkippingEnv;
  let env: TestWorkflowEnvironment;
  let fake: FakeActivities;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let customerId: string;

  beforeAll(async () => {
    server = await startIsolatedTimeSkippingEnv();
    env = server.env;
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    fake = new FakeActivities();
    taskQueue = uniqueTaskQueue('dunning');
    customerId = uniqueCustomerId();
    worker = await createWorker(env, fake, taskQueue);
    running = worker.run();
  });
  afterEach(async () => {
    // A workflow left running with no Worker would hold this file's server clock still.
    await terminateCustomer(env, customerId);
    worker.shutdown();
    await running;
  });

  /** An active subscription whose renewal invoice just failed; resolves once the notice is out. */
  async function failPayment(): Promise<WorkflowHandle> {
    const handle = await sendEvent(
      env,
      taskQueue,
      subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(SUB, 'active'), {
        created: 1000,
        customerId,
      }),
    );
    await sendEvent(
      env,
      taskQueue,
      invoiceEvent(
        'invoice.payment_failed',
        { id: INVOICE, subscriptionId: SUB },
        { created: 1001, customerId },
      ),
    );
    await eventually(() => fake.sentKeys().includes(`${INVOICE}:notice`), 'the notice');
    return handle;
  }

  const succeed = () =>
    sendEvent(
      env,
      taskQueue,
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: INVOICE, subscriptionId: SUB },
        { created: 2000, customerId },
      ),
    );

  it('runs the whole schedule: reminders, suspension, then one cancel and the final e-mail', async () => {
    const handle = await failPayment();
    await fake.expectView({ access: 'grace' });

    await env.sleep('3 days');
    await eventually(() => fake.sentKeys().includes(`${INVOICE}:reminder-1`), 'reminder 1');
    await env.sleep('2 days');
    await eventually(() => fake.sentKeys().includes(`${INVOICE}:reminder-2`), 'reminder 2');
    await fake.expectView({ access: 'grace', dunning: { stage: 'reminded' } });

    await env.sleep('2 days');
    await eventually(() => fake.sentKeys().includes(`${INVOICE}:suspend`), 'the suspension');
    await fake.expectView({ access: 'suspended', dunning: { stage: 'suspended' } });

    await env.sleep('7 days');
    await eventually(() => fake.sentKeys().includes(`${INVOICE}:cancel`), 'the final e-mail');
    expect(fake.cancels).toEqual([
      { subscriptionId: SUB, idempotencyKey: `dunning-cancel-${INVOICE}` },
    ]);
    const state = await waitForState(
      handle,
      (s) => s.dunning[INVOICE]?.outcome === 'canceled',
      'the close',
    );
    expect(state.subscriptions[SUB]?.status).toBe('canceled');
    await fake.expectView({ access: 'none', status: 'canceled', dunning: null });
    expect(fake.sent.map((s) => s.template)).toEqual([
      'payment_failed',
      'payment_reminder',
      'payment_reminder',
      'access_suspended',
      'subscription_canceled',
    ]);
    expect(new Set(fake.sentKeys()).size).toBe(fake.sentKeys().length);
  });

  it.each([
    ['right after the notice', 0],
    ['after a reminder', 4],
    ['after the suspension', 8],
  ])(
    'recovers %s: access comes back, a receipt goes out and nothing else follows',
    async (_, days) => {
      const handle = await failPayment();
      if (days > 0) await env.sleep(days * DAY);
      await succeed();
      await eventually(() => fake.sentKeys().includes(`${INVOICE}:recovered`), 'the receipt');
      const state = await waitForState(
        handle,
        (s) => s.dunning[INVOICE]?.outcome === 'recovered',
        'recovery',
      );
      expect(state.dunning[INVOICE]?.stage).toBe('recovered');
      await fake.expectView({ access: 'active', dunning: null });
      const sentBefore = fake.sent.length;

      await env.sleep('15 days');
      await waitForState(handle, () => true, 'a query after the schedule');
      expect(fake.sent.length).toBe(sentBefore);
      expect(fake.cancels).toEqual([]);
    },
  );

  it('stops when the subscription becomes active again', async () => {
    const handle = await failPayment();
    await sendEvent(
      env,
      taskQueue,
      subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(SUB, 'active'), {
        created: 1500,
        customerId,
        previousStatus: 'past_due',
      }),
    );
    const state = await waitForState(
      handle,
      (s) => s.dunning[INVOICE]?.outcome === 'reactivated',
      'reactivation',
    );
    expect(state.dunning[INVOICE]?.stage).toBe('closed');
    await env.sleep('15 days');
    expect(fake.cancels).toEqual([]);
  });

  describe('controls', () => {
    async function rejection(promise: Promise<unknown>): Promise<string> {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      return String((error as WorkflowUpdateFailedError).cause?.message);
    }

    it('extends grace: suspension and cancellation move later and the reason is recorded', async () => {
      const handle = await failPayment();
      const schedule = await handle.executeUpdate(extendGraceUpdate, {
        args: [{ by: '3 days', reason: 'called support', operator: 'ana' }],
      });
      expect(schedule.graceExtension).toBe('3 days');
      const start = Date.parse(schedule.startedAt);
      const due = Object.fromEntries(
        schedule.steps.map((s) => [s.name, Date.parse(s.dueAt) - start]),
      );
      expect(due).toMatchObject({ suspend: 10 * DAY, cancel: 17 * DAY, 'reminder-1': 3 * DAY });
      expect(fake.controls).toEqual([
        expect.objectContaining({
          control: 'extendGrace',
          invoiceId: INVOICE,
          reason: 'called support',
          operator: 'ana',
        }),
      ]);

      await env.sleep('8 days');
      await eventually(() => fake.sentKeys().includes(`${INVOICE}:reminder-2`), 'reminder 2');
      expect(fake.sentKeys()).not.toContain(`${INVOICE}:suspend`);
      await env.sleep('3 days');
      await eventually(
        () => fake.sentKeys().includes(`${INVOICE}:suspend`),
        'the later suspension',
      );
    });

    it('rejects an extension whose duration is not a duration, naming "by"', async () => {
      const handle = await failPayment();
      const message = await rejection(
        handle.executeUpdate(extendGraceUpdate, {
          args: [{ by: 'soon', reason: 'called support' }],
        }),
      );
      expect(message).toMatch(/^by "soon" is not a duration/);
    });

    it('rejects a control without a reason, naming "reason"', async () => {
      const handle = await failPayment();
      const message = await rejection(
        handle.executeUpdate(waiveDunningUpdate, { args: [{ reason: ' ' }] }),
      );
      expect(message).toMatch(/^reason is required/);
      expect(fake.controls).toEqual([]);
    });

    it('rejects a control when no dunning case is open', async () => {
      const handle = await sendEvent(
        env,
        taskQueue,
        subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(SUB, 'active'), {
          created: 1000,
          customerId,
        }),
      );
      await waitForState(handle, (s) => s.seq >= 1, 'the subscription');
      const message = await rejection(
        handle.executeUpdate(retryPaymentUpdate, { args: [{ reason: 'customer asked' }] }),
      );
      expect(message).toMatch(/has no open dunning case/);
    });

    it('retries the payment now and closes the case as recovered when Stripe collects', async () => {
      const handle = await failPayment();
      fake.retryPays = true;
      const schedule = await handle.executeUpdate(retryPaymentUpdate, {
        args: [{ reason: 'new card on file' }],
      });
      expect(schedule.stage).toBe('recovered');
      expect(fake.retries).toHaveLength(1);
      expect(fake.retries[0]?.idempotencyKey).toMatch(new RegExp(`^retry-${INVOICE}-\\d+$`));
      await eventually(() => fake.sentKeys().includes(`${INVOICE}:recovered`), 'the receipt');
    });

    it('retries the payment and keeps dunning open when Stripe declines again', async () => {
      const handle = await failPayment();
      const schedule = await handle.executeUpdate(retryPaymentUpdate, {
        args: [{ reason: 'try again' }],
      });
      expect(schedule.stage).toBe('payment_failed');
      expect(fake.retries).toHaveLength(1);
    });

    it('waives: dunning stops, access stays and no step follows', async () => {
      const handle = await failPayment();
      await sendEvent(
        env,
        taskQueue,
        subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(SUB, 'past_due'), {
          created: 1002,
          customerId,
          previousStatus: 'active',
        }),
      );
      await waitForState(handle, (s) => s.subscriptions[SUB]?.status === 'past_due', 'past_due');
      const schedule = await handle.executeUpdate(waiveDunningUpdate, {
        args: [{ reason: 'goodwill' }],
      });
      expect(schedule.stage).toBe('waived');
      await fake.expectView({
        status: 'past_due',
        access: 'active',
        dunning: null,
      });
      await env.sleep('15 days');
      expect(fake.sentKeys()).toEqual([`${INVOICE}:notice`]);
      expect(fake.cancels).toEqual([]);
    });
  });
});
