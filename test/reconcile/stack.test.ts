/**
 * Reconciliation end to end on the real local stack: the Temporal dev server, the MongoDB-wire
 * server, stripe-mock for the customer activities, and one worker running both the customer
 * workflow (with its real activities) and reconciliation, as the production worker does. Only
 * Stripe's events list is the local fake, because stripe-mock cannot hold chosen events.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import { createActivities } from '../../activities';
import { createReconcileActivities } from '../../activities/reconcile';
import { loadConfig, LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { createModels, ensureIndexes, type Models } from '../../src/db/models';
import { normalizeStripeEvent } from '../../src/ingest/normalize';
import { createTemporalSignaler, type EventSignaler } from '../../src/ingest/signal';
import { createLogger } from '../../src/logging/logger';
import { createMailer } from '../../src/mail/mailer';
import { createStripeClient } from '../../src/stripe/client';
import { customerStateQuery, customerWorkflowId } from '../../workflows/definitions';
import { RECONCILE_WORKFLOW_TYPE } from '../../workflows/reconcile/definitions';
import type { reconciliationWorkflow } from '../../workflows/reconcile/workflow';
import { testStack, uniqueMongoUri } from '../support/stack-env';
import { subscriptionUpdated } from './support/events';
import { startFakeStripeEvents, type FakeStripeEvents } from './support/fake-stripe-events';
import { eventually, reconcileBundle } from './support/harness';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

jest.setTimeout(120_000);

describe('reconciliation on the local stack', () => {
  const stack = () => testStack();
  let fake: FakeStripeEvents;
  let db: mongoose.Connection;
  let models: Models;
  let client: Client;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let signaler: EventSignaler;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `reconcile-stack-${randomUUID()}`;

  beforeAll(async () => {
    fake = await startFakeStripeEvents();
    const config = loadConfig({
      NODE_ENV: 'test',
      STRIPE_API_BASE: stack().stripeApiBase,
      STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
      ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
      SMTP_URL: stack().smtpUrl,
      TEMPORAL_ADDRESS: stack().temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    const logger = createLogger({ level: 'silent' });
    db = await mongoose.createConnection(uniqueMongoUri('reconcile_stack')).asPromise();
    models = createModels(db);
    await ensureIndexes(models);
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    signaler = createTemporalSignaler({ client, taskQueue, rpcTimeoutMs: 4_000 });
    // The events list comes from the fake, through the same STRIPE_API_BASE setting.
    const eventsConfig = { ...config, stripe: { ...config.stripe, apiBase: new URL(fake.url) } };
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: await reconcileBundle(),
      activities: {
        ...createActivities({
          models,
          stripe: createStripeClient(config),
          mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }),
          logger,
          config,
        }),
        ...createReconcileActivities({
          stripe: createStripeClient(eventsConfig),
          db,
          signaler,
          logger,
          config,
        }),
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await db.dropDatabase();
    await db.close();
    await connection.close();
    await nativeConnection.close();
    await fake.close();
  });

  async function appliedIds(customerId: string): Promise<string[]> {
    const state = await client.workflow
      .getHandle(customerWorkflowId(customerId))
      .query(customerStateQuery);
    return state.appliedEvents.map(([id]) => id);
  }

  it('applies an event the webhook never received, and does not apply a delivered one again', async () => {
    const customerId = `cus_Stack${Date.now().toString(36)}`;
    const now = Math.floor(Date.now() / 1000);
    const subscription = { customerId, subscriptionId: `sub_${customerId.slice(4)}` };
    const delivered = subscriptionUpdated({
      ...subscription,
      id: `evt_delivered_${customerId.slice(4)}`,
      type: 'customer.subscription.created',
      status: 'active',
      created: now - 120,
    });
    const missed = subscriptionUpdated({
      ...subscription,
      id: `evt_missed_${customerId.slice(4)}`,
      status: 'active',
      cancelAtPeriodEnd: true,
      created: now - 60,
      pendingWebhooks: 1,
    });
    fake.events.push(delivered, missed);

    // The webhook path: normalize and signal, exactly as the API does for a delivery.
    const normalized = normalizeStripeEvent(delivered, 'webhook');
    if (normalized.kind !== 'event') throw new Error('fixture is not a handled event');
    await signaler.signal(normalized.event);
    await eventually(async () => (await models.AppliedEvent.countDocuments({ customerId })) === 1);
    const firstApplied = await models.AppliedEvent.findOne({ eventId: delivered.id }).lean();

    const result = await client.workflow.execute<typeof reconciliationWorkflow>(
      RECONCILE_WORKFLOW_TYPE,
      { workflowId: `stripe-reconciliation-${randomUUID()}`, taskQueue, args: [{}] },
    );

    expect(result).toMatchObject({ listed: 2, signaled: 2, missedByWebhook: 1, pages: 1 });
    await eventually(async () => (await appliedIds(customerId)).includes(missed.id));
    expect(await appliedIds(customerId)).toEqual([delivered.id, missed.id]);
    const log = await models.AppliedEvent.find({ customerId }).sort({ created: 1 }).lean();
    expect(log.map((e) => e.eventId)).toEqual([delivered.id, missed.id]);
    expect(log[0]?.appliedAt).toEqual(firstApplied?.appliedAt);
    const projected = await models.Subscription.findOne({
      subscriptionId: subscription.subscriptionId,
    }).lean();
    expect(projected).toMatchObject({ cancelAtPeriodEnd: true, lastEventId: missed.id });
  });
});
