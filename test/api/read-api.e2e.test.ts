/**
 * Webhook to read API, end to end: a signed delivery goes through the real app and Temporal to a
 * worker with the real activities over a MongoDB-wire server, and the read API shows the result.
 * Only Stripe and SMTP are fakes, and this path calls neither.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Connection as MongoConnection } from 'mongoose';
import { createActivities } from '../../activities';
import { createApp } from '../../src/api/app';
import { createApiMetrics } from '../../src/api/metrics';
import { connectMongo } from '../../src/db/connection';
import { createModels, ensureIndexes } from '../../src/db/models';
import { createReadModel } from '../../src/db/read-model';
import { createTemporalSignaler } from '../../src/ingest/signal';
import { createLogger } from '../../src/logging/logger';
import type { Mailer } from '../../src/mail/mailer';
import type { StripeApi } from '../../src/stripe/api';
import { STACK_ENV } from '../support/stack-env';
import {
  checkoutSessionCompleted,
  signedRequest,
  stripeId,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { type MongoForTests, mongoForTests } from './support/mongo-server';
import { type TemporalForTests, temporalForTests } from './support/temporal-server';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

jest.setTimeout(120_000);

const TOKEN = 'e2e-admin-token-with-enough-length-0001';
const logger = createLogger({ level: 'silent' });

function notCalled(what: string): () => Promise<never> {
  return async () => {
    throw new Error(`${what} is not expected on the webhook-to-read-API path`);
  };
}

const stripe: StripeApi = {
  customers: { retrieve: notCalled('customers.retrieve') },
  subscriptions: {
    retrieve: notCalled('subscriptions.retrieve'),
    cancel: notCalled('subscriptions.cancel'),
  },
  invoices: { retrieve: notCalled('invoices.retrieve'), pay: notCalled('invoices.pay') },
};
const mailer: Mailer = { send: notCalled('mailer.send'), close: () => undefined };

describe('webhook to read API', () => {
  let temporal: TemporalForTests;
  let mongoServer: MongoForTests;
  let mongo: MongoConnection;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let server: Server;
  let base: string;
  const taskQueue = `read-api-e2e-${Date.now()}`;

  beforeAll(async () => {
    [temporal, mongoServer] = await Promise.all([temporalForTests(), mongoForTests('read_api')]);
    mongo = await connectMongo(mongoServer.uri);
    const models = createModels(mongo);
    await ensureIndexes(models);
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const bundlePath = process.env[STACK_ENV.workflowBundlePath];
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      activities: createActivities({
        models,
        stripe,
        mailer,
        logger,
        config: {
          dunning: {
            remindersMs: [3 * 86_400_000],
            graceMs: 7 * 86_400_000,
            cancelMs: 14 * 86_400_000,
          },
          customerIdleTimeoutMs: 30 * 86_400_000,
          maxEventsPerRun: 500,
        },
      }),
      ...(bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : { workflowsPath: require.resolve('../../workflows') }),
    });
    running = worker.run();
    const app = createApp({
      config: {
        stripe: {
          webhookSecrets: [TEST_WEBHOOK_SECRET],
          toleranceSeconds: 300,
          secretKey: undefined,
          apiBase: undefined,
        },
        adminApiToken: TOKEN,
      },
      signaler: createTemporalSignaler({ client, taskQueue, rpcTimeoutMs: 4000 }),
      readModel: createReadModel(mongo),
      logger,
      metrics: createApiMetrics(),
      readiness: { isReady: () => true },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    worker?.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
    await mongo?.close();
    await Promise.all([temporal?.stop(), mongoServer?.stop()]);
  });

  it('shows the customer and its applied events after signed deliveries', async () => {
    const customer = stripeId('cus');
    const subscriptionId = stripeId('sub');
    const checkout = checkoutSessionCompleted({
      customer,
      subscription: subscriptionId,
      clientReferenceId: 'acct_e2e_1',
    });
    const created = subscriptionEvent('customer.subscription.created', {
      customer,
      subscriptionId,
      created: checkout.created + 1,
      currentPeriodEnd: 1_900_000_000,
    });

    for (const event of [checkout, created, created]) {
      const { body, headers } = signedRequest(event);
      const res = await fetch(`${base}/api/subscription/webhook`, {
        method: 'POST',
        body,
        headers,
      });
      expect(res.status).toBe(200);
    }

    const auth = { authorization: `Bearer ${TOKEN}` };
    await eventually(async () => {
      const res = await fetch(`${base}/api/subscription/customers/${customer}`, { headers: auth });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        customerId: customer,
        accountId: 'acct_e2e_1',
        subscriptionId,
        status: 'active',
        access: 'active',
        currentPeriodEnd: new Date(1_900_000_000 * 1000).toISOString(),
        cancelAtPeriodEnd: false,
        dunning: null,
      });
    });
    await eventually(async () => {
      const res = await fetch(`${base}/api/subscription/customers/${customer}/events`, {
        headers: auth,
      });
      const events = (await res.json()) as Array<{ eventId: string }>;
      // Newest first, and the event delivered twice appears once.
      expect(events.map((e) => e.eventId)).toEqual([created.id, checkout.id]);
    });
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
