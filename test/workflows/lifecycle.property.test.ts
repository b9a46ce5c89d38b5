/**
 * The delivery-order property through the real workflow: a few random lifecycles, each delivered
 * once in order to one customer and shuffled with duplicates to another, end in the same
 * projected view. The pure rules get 1,800 runs in unit/lifecycle.property.test.ts; here each run
 * costs two workflows, so a handful of fixed-seed samples prove the workflow adds no order effect.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import fc from 'fast-check';
import type { CustomerView } from '../../src/domain/customer-view';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import { customerStateQuery } from '../../workflows/definitions';
import { toCustomerView } from '../../workflows/customer/view';
import { eventsOf, FakeActivities } from './support/fake-activities';
import { lifecycleEvents, lifecyclePlan, shuffledWithDuplicates } from './support/lifecycle';
import {
  createWorker,
  eventually,
  sendEvent,
  terminateCustomer,
  uniqueCustomerId,
  uniqueTaskQueue,
} from './support/time-skipping';
import {
  startIsolatedTimeSkippingEnv,
  type IsolatedTimeSkippingEnv,
} from '../support/time-skipping-env';

const RUNS = 4;

/** Dunning dates follow arrival (workflow) time by design; the two customers arrive apart. */
function comparable(view: CustomerView | undefined): unknown {
  if (!view) return undefined;
  return {
    ...view,
    customerId: 'same',
    accountId: view.accountId && 'linked',
    subscriptionId: view.subscriptionId?.replace(/^sub_cus_\w+?_/, 'sub_'),
    dunning: view.dunning && { ...view.dunning, invoiceId: 'same', startedAt: 0, nextActionAt: 0 },
  };
}

describe('customerSubscriptionWorkflow under any delivery order', () => {
  let server: IsolatedTimeSkippingEnv;
  let env: TestWorkflowEnvironment;
  let fake: FakeActivities;
  let worker: Worker;
  let running: Promise<void>;
  const customers: string[] = [];
  const taskQueue = uniqueTaskQueue('lifecycle');

  beforeAll(async () => {
    server = await startIsolatedTimeSkippingEnv();
    env = server.env;
    fake = new FakeActivities();
    worker = await createWorker(env, fake, taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    for (const customerId of customers) await terminateCustomer(env, customerId);
    worker?.shutdown();
    await running;
    await server?.stop();
  });

  async function deliver(customerId: string, events: NormalizedEvent[]): Promise<CustomerView> {
    customers.push(customerId);
    for (const event of events) await sendEvent(env, taskQueue, event);
    const unique = new Set(events.map((e) => e.id)).size;
    const projected = () =>
      fake.projections.filter((p) => p.customerId === customerId).flatMap(eventsOf).length;
    await eventually(() => projected() === unique, `${unique} events of ${customerId}`, 30_000);
    const handle = env.client.workflow.getHandle(`customer-${customerId}`);
    const state = await handle.query(customerStateQuery);
    const last = fake.projections.filter((p) => p.customerId === customerId).at(-1);
    // The last projection and the query agree: what MongoDB holds is what the workflow holds.
    expect(last?.view).toEqual(toCustomerView(state));
    return last!.view;
  }

  const samples = fc.sample(
    lifecyclePlan
      .filter((plan) => plan.steps.length >= 4)
      .chain((plan) => {
        const events = lifecycleEvents(plan, 'cus_Template');
        return fc.tuple(fc.constant(plan), shuffledWithDuplicates(events.map((_, i) => i)));
      }),
    { numRuns: RUNS, seed: 20_260_101 },
  );

  it.each(samples.map((sample, i) => [i + 1, sample] as const))(
    'ends lifecycle %i in the same view in order and shuffled with duplicates',
    async (_, [plan, order]) => {
      const a = uniqueCustomerId();
      const b = uniqueCustomerId();
      const inOrder = await deliver(a, lifecycleEvents(plan, a));
      const eventsOfB = lifecycleEvents(plan, b);
      const shuffled = await deliver(
        b,
        order.map((i) => eventsOfB[i] as NormalizedEvent),
      );
      expect(comparable(shuffled)).toEqual(comparable(inOrder));
    },
  );
});
