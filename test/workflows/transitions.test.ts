/**
 * One test per event rule of the customer workflow, on the time-skipping server with fake
 * activities.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import {
  checkoutEvent,
  invoiceEvent,
  subscriptionEvent,
  subscriptionSnapshot,
} from './support/events';
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

describe('customerSubscriptionWorkflow event rules', () => {
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
    taskQueue = uniqueTaskQueue('transitions');
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

  const send = (event: Parameters<typeof sendEvent>[2]) => sendEvent(env, taskQueue, event);
  /**
   * A query sees a change as soon as it is applied, but its projection lands one activity later:
   * wait for both before asserting on the fake's records.
   */
  const settled = async (...args: Parameters<typeof waitForState>) => {
    const state = await waitForState(...args);
    await eventually(
      () => fake.projections.some((p) => p.seq >= state.seq),
      `the projection of seq ${state.seq}`,
    );
    return state;
  };

  it('links the account and records the subscription on a subscription-mode checkout', async () => {
    const handle = await send(
      checkoutEvent('subscription', 'sub_A1', 'acct_42', {
        created: 100,
        customerId,
      }),
    );
    const state = await settled(handle, (s) => s.seq >= 1, 'the checkout');
    expect(state.accountId).toBe('acct_42');
    expect(Object.keys(state.subscriptions)).toEqual(['sub_A1']);
    expect(fake.lastView()?.accountId).toBe('acct_42');
  });

  it('records a one-off payment checkout as ignored and changes nothing', async () => {
    const event = checkoutEvent('payment', null, 'acct_42', {
      created: 100,
      customerId,
    });
    const handle = await send(event);
    const state = await settled(handle, (s) => s.seq >= 1, 'the checkout');
    expect(state.accountId).toBeNull();
    expect(fake.outcomes()[event.id]).toBe('ignored');
  });

  it('applies created then updated and derives access from the status', async () => {
    const sub = 'sub_B1';
    const handle = await send(
      subscriptionEvent('customer.subscription.created', subscriptionSnapshot(sub, 'incomplete'), {
        created: 100,
        customerId,
      }),
    );
    await send(
      subscriptionEvent(
        'customer.subscription.updated',
        subscriptionSnapshot(sub, 'active', { priceId: 'price_pro' }),
        {
          created: 101,
          customerId,
          previousStatus: 'incomplete',
        },
      ),
    );
    const state = await settled(handle, (s) => s.seq >= 2, 'both events');
    expect(state.subscriptions[sub]?.status).toBe('active');
    expect(state.subscriptions[sub]?.priceId).toBe('price_pro');
    expect(fake.lastView()).toMatchObject({
      status: 'active',
      access: 'active',
      subscriptionId: sub,
    });
  });

  it('records an older event as stale and keeps the newer state', async () => {
    const sub = 'sub_C1';
    const handle = await send(
      subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(sub, 'active'), {
        created: 200,
        customerId,
        previousStatus: 'incomplete',
      }),
    );
    const older = subscriptionEvent(
      'customer.subscription.updated',
      subscriptionSnapshot(sub, 'past_due'),
      { created: 150, customerId, previousStatus: 'active' },
    );
    await send(older);
    const state = await settled(handle, (s) => s.seq >= 2, 'both events');
    expect(state.subscriptions[sub]?.status).toBe('active');
    expect(fake.outcomes()[older.id]).toBe('stale');
  });

  it('breaks a same-second tie with previous_attributes: the successor wins in either order', async () => {
    const sub = 'sub_D1';
    const first = subscriptionEvent(
      'customer.subscription.updated',
      subscriptionSnapshot(sub, 'past_due'),
      { created: 300, customerId, previousStatus: 'active' },
    );
    const second = subscriptionEvent(
      'customer.subscription.updated',
      subscriptionSnapshot(sub, 'unpaid'),
      { created: 300, customerId, previousStatus: 'past_due' },
    );
    const handle = await send(second);
    await send(first);
    const state = await settled(handle, (s) => s.seq >= 2, 'both events');
    expect(state.subscriptions[sub]?.status).toBe('unpaid');
    expect(fake.outcomes()[first.id]).toBe('stale');
    expect(fake.fetches).toEqual([]);
  });

  it('asks Stripe when a same-second tie cannot be decided from the events', async () => {
    const sub = 'sub_D2';
    fake.stripe.set(sub, subscriptionSnapshot(sub, 'active', { priceId: 'price_pro' }));
    const handle = await send(
      subscriptionEvent(
        'customer.subscription.updated',
        subscriptionSnapshot(sub, 'active', { priceId: 'price_pro' }),
        { created: 300, customerId },
      ),
    );
    await send(
      subscriptionEvent(
        'customer.subscription.updated',
        subscriptionSnapshot(sub, 'active', { priceId: 'price_basic' }),
        { created: 300, customerId },
      ),
    );
    const state = await settled(handle, (s) => s.seq >= 2, 'both events');
    expect(fake.fetches).toEqual([sub]);
    expect(state.subscriptions[sub]?.priceId).toBe('price_pro');
  });

  it('cancels on deleted, removes access and closes dunning for that subscription', async () => {
    const sub = 'sub_E1';
    const handle = await send(
      subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(sub, 'past_due'), {
        created: 100,
        customerId,
        previousStatus: 'active',
      }),
    );
    await send(
      invoiceEvent(
        'invoice.payment_failed',
        { id: 'in_E1', subscriptionId: sub },
        { created: 100, customerId },
      ),
    );
    await settled(handle, (s) => s.dunning['in_E1']?.outcome === 'open', 'dunning to open');
    await send(
      subscriptionEvent('customer.subscription.deleted', subscriptionSnapshot(sub, 'canceled'), {
        created: 50,
        customerId,
      }),
    );
    const state = await settled(
      handle,
      (s) => s.subscriptions[sub]?.status === 'canceled',
      'the deletion',
    );
    expect(state.dunning['in_E1']?.outcome).toBe('subscription_deleted');
    expect(fake.lastView()).toMatchObject({
      status: 'canceled',
      access: 'none',
      dunning: null,
    });
  });

  it('records a paid invoice on payment_succeeded', async () => {
    const handle = await send(
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: 'in_F1', subscriptionId: 'sub_F1' },
        { created: 100, customerId },
      ),
    );
    const state = await settled(handle, (s) => s.seq >= 1, 'the payment');
    expect(state.paidInvoices).toEqual(['in_F1']);
  });

  it('opens dunning on payment_failed: grace access and the payment-failed e-mail at once', async () => {
    const sub = 'sub_G1';
    const handle = await send(
      subscriptionEvent('customer.subscription.updated', subscriptionSnapshot(sub, 'active'), {
        created: 100,
        customerId,
      }),
    );
    await send(
      invoiceEvent(
        'invoice.payment_failed',
        { id: 'in_G1', subscriptionId: sub },
        { created: 101, customerId },
      ),
    );
    await settled(handle, (s) => s.dunning['in_G1']?.steps[0]?.doneAt != null, 'the notice');
    await eventually(() => fake.sent.length > 0, 'the payment-failed e-mail');
    expect(fake.sent.map((s) => [s.key, s.template])).toEqual([['in_G1:notice', 'payment_failed']]);
    expect(fake.sent[0]?.data.hostedInvoiceUrl).toBe('https://invoice.example/in_G1');
    expect(fake.lastView()).toMatchObject({
      access: 'grace',
      dunning: { invoiceId: 'in_G1', stage: 'payment_failed' },
    });
  });

  it('opens nothing for a failure of an invoice already paid', async () => {
    const handle = await send(
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: 'in_H1', subscriptionId: 'sub_H1' },
        { created: 200, customerId },
      ),
    );
    const failure = invoiceEvent(
      'invoice.payment_failed',
      { id: 'in_H1', subscriptionId: 'sub_H1' },
      { created: 150, customerId },
    );
    await send(failure);
    const state = await settled(handle, (s) => s.seq >= 2, 'both events');
    expect(state.dunning).toEqual({});
    expect(fake.outcomes()[failure.id]).toBe('ignored');
    expect(fake.sent).toEqual([]);
  });

  it('drops a redelivered event without applying it twice', async () => {
    const event = invoiceEvent(
      'invoice.payment_succeeded',
      { id: 'in_I1', subscriptionId: null },
      { created: 100, customerId },
    );
    const handle = await send(event);
    await send(event);
    await send(
      invoiceEvent(
        'invoice.payment_succeeded',
        { id: 'in_I2', subscriptionId: null },
        { created: 101, customerId },
      ),
    );
    const state = await settled(handle, (s) => s.seq >= 2, 'the second invoice');
    expect(state.appliedEvents.map(([id]) => id)).toEqual([event.id, expect.any(String)]);
    const logged = fake.projections.flatMap(eventsOf).filter((e) => e.eventId === event.id);
    expect(logged).toHaveLength(1);
  });
});
