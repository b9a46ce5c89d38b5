/**
 * The webhook against a real Temporal dev server: the app, the signaler and the client are the
 * production ones; only the read model (not used on this path) and the activities of the worker
 * are fakes.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { CustomerActivities, ProjectStateInput } from '../../activities/contract';
import { createApp } from '../../src/api/app';
import { createApiMetrics } from '../../src/api/metrics';
import { createTemporalReadiness } from '../../src/api/readiness';
import { createTemporalSignaler, type EventSignaler } from '../../src/ingest/signal';
import { createLogger } from '../../src/logging/logger';
import {
  CUSTOMER_WORKFLOW_TYPE,
  customerStateQuery,
  customerWorkflowId,
} from '../../workflows/definitions';
import { STACK_ENV } from '../support/stack-env';
import {
  checkoutSessionCompleted,
  invoiceEvent,
  signedRequest,
  stripeId,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import { FakeReadModel } from './support/harness';
import { freePort, type TemporalForTests, temporalForTests } from './support/temporal-server';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

jest.setTimeout(120_000);

const logger = createLogger({ level: 'silent' });

interface RunningApp {
  url: string;
  close(): Promise<void>;
}

async function startApp(signaler: EventSignaler): Promise<RunningApp> {
  const app = createApp({
    config: {
      stripe: {
        webhookSecrets: [TEST_WEBHOOK_SECRET],
        toleranceSeconds: 300,
        secretKey: undefined,
        apiBase: undefined,
      },
      adminApiToken: 'integration-admin-token-0001',
    },
    signaler,
    readModel: new FakeReadModel(),
    logger,
    metrics: createApiMetrics(),
    readiness: { isReady: () => true },
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api/subscription/webhook`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function deliver(url: string, event: object): Promise<{ status: number; body: unknown }> {
  const { body, headers } = signedRequest(event);
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, body: await res.json() };
}

async function signalNames(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes?.signalName
      ? [e.workflowExecutionSignaledEventAttributes.signalName]
      : [],
  );
}

async function executionsOf(client: Client, workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) count += 1;
  return count;
}

describe('webhook with a real Temporal server', () => {
  let temporal: TemporalForTests;
  let connection: Connection;
  let client: Client;
  let app: RunningApp;
  const taskQueue = `webhook-it-${Date.now()}`;

  beforeAll(async () => {
    temporal = await temporalForTests();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection });
    app = await startApp(createTemporalSignaler({ client, taskQueue, rpcTimeoutMs: 4000 }));
  });

  afterAll(async () => {
    await app?.close();
    await connection?.close();
    await temporal?.stop();
  });

  it('creates exactly one workflow for the customer of an event', async () => {
    const customer = stripeId('cus');
    const workflowId = customerWorkflowId(customer);

    const res = await deliver(
      app.url,
      subscriptionEvent('customer.subscription.created', { customer }),
    );

    expect(res).toEqual({
      status: 200,
      body: { received: true, eventId: expect.any(String), workflowId },
    });
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe(CUSTOMER_WORKFLOW_TYPE);
    expect(description.taskQueue).toBe(taskQueue);
    expect(description.status.name).toBe('RUNNING');
    expect(await signalNames(client, workflowId)).toEqual(['stripeEvent']);
    // Visibility is eventually consistent on the dev server; wait until it has the execution.
    await eventually(async () => expect(await executionsOf(client, workflowId)).toBe(1));
  });

  it('signals the running workflow for a second event of the same customer, without a new run', async () => {
    const customer = stripeId('cus');
    const workflowId = customerWorkflowId(customer);
    await deliver(app.url, checkoutSessionCompleted({ customer }));
    const firstRun = (await client.workflow.getHandle(workflowId).describe()).runId;

    await deliver(app.url, invoiceEvent('invoice.payment_succeeded', { customer }));

    expect((await client.workflow.getHandle(workflowId).describe()).runId).toBe(firstRun);
    expect(await signalNames(client, workflowId)).toEqual(['stripeEvent', 'stripeEvent']);
  });

  it('starts a closed workflow anew when a later event arrives', async () => {
    const customer = stripeId('cus');
    const workflowId = customerWorkflowId(customer);
    await deliver(app.url, subscriptionEvent('customer.subscription.created', { customer }));
    const handle = client.workflow.getHandle(workflowId);
    const firstRun = (await handle.describe()).runId;
    await handle.terminate('test: the customer went idle');

    const res = await deliver(
      app.url,
      subscriptionEvent('customer.subscription.updated', { customer }),
    );

    expect(res.status).toBe(200);
    const now = await client.workflow.getHandle(workflowId).describe();
    expect(now.status.name).toBe('RUNNING');
    expect(now.runId).not.toBe(firstRun);
  });

  it('accepts the same event delivered 20 times at once, and the workflow applies it once', async () => {
    const customer = stripeId('cus');
    const workflowId = customerWorkflowId(customer);
    const event = subscriptionEvent('customer.subscription.created', { customer });
    const projected: ProjectStateInput[] = [];
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await createWorker(nativeConnection, taskQueue, fakeActivities(projected));

    await worker.runUntil(async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(app.url, event)));

      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      await eventually(async () => {
        // Signals that arrive during a workflow task are written to history when it completes.
        expect(await signalNames(client, workflowId)).toHaveLength(20);
        const description = await client.workflow.getHandle(workflowId).describe();
        expect(description.raw.pendingWorkflowTask ?? null).toBeNull();
        const state = await client.workflow.getHandle(workflowId).query(customerStateQuery);
        expect(state.appliedEvents.filter(([id]) => id === event.id)).toHaveLength(1);
      });
    });

    await nativeConnection.close();
    const logged = projected.flatMap((p) => p.events ?? (p.event ? [p.event] : []));
    expect(logged.filter((e) => e.eventId === event.id)).toHaveLength(1);
    await eventually(async () => expect(await executionsOf(client, workflowId)).toBe(1));
  });

  it('reports ready once Temporal answers its health check', async () => {
    const readiness = createTemporalReadiness({ connection, logger, timeoutMs: 2000 });
    expect(readiness.isReady()).toBe(false);
    expect(await readiness.probe()).toBe(true);
    expect(readiness.isReady()).toBe(true);
  });
});

describe('webhook while Temporal is unreachable', () => {
  const rpcTimeoutMs = 1500;
  let connection: Connection;
  let app: RunningApp;

  beforeAll(async () => {
    // A port that was free a moment ago and that nothing listens on.
    connection = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      connectTimeout: rpcTimeoutMs,
    });
    const client = new Client({ connection });
    app = await startApp(
      createTemporalSignaler({ client, taskQueue: 'unreachable', rpcTimeoutMs }),
    );
  });

  afterAll(async () => {
    await app?.close();
    // The answer came at the timer; let the abandoned RPC reach its own deadline before the
    // channel closes, or grpc-js throws from a callback.
    await new Promise((r) => setTimeout(r, rpcTimeoutMs));
    await connection?.close().catch(() => undefined);
  });

  it('answers 503 with Retry-After within the RPC deadline', async () => {
    const started = Date.now();
    const { body, headers } = signedRequest(checkoutSessionCompleted());
    const res = await fetch(app.url, { method: 'POST', body, headers });
    const elapsed = Date.now() - started;

    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(elapsed).toBeLessThan(rpcTimeoutMs + 1000);
  });

  it('reports not ready', async () => {
    const readiness = createTemporalReadiness({ connection, logger, timeoutMs: 500 });
    const started = Date.now();
    expect(await readiness.probe()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

async function createWorker(
  nativeConnection: NativeConnection,
  taskQueue: string,
  activities: CustomerActivities,
): Promise<Worker> {
  const bundlePath = process.env[STACK_ENV.workflowBundlePath];
  return Worker.create({
    connection: nativeConnection,
    taskQueue,
    activities,
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: require.resolve('../../workflows') }),
  });
}

/** Activities that record projections and do nothing else: this test is about delivery. */
function fakeActivities(projected: ProjectStateInput[]): CustomerActivities {
  return {
    getDunningPolicy: async () => ({
      remindersMs: [3 * 86_400_000, 5 * 86_400_000],
      graceMs: 7 * 86_400_000,
      cancelMs: 14 * 86_400_000,
    }),
    getWorkflowSettings: async () => ({ idleTimeoutMs: 30 * 86_400_000, maxEventsPerRun: 500 }),
    loadCustomerState: async () => null,
    projectState: async (input) => {
      projected.push(input);
    },
    sendNotification: async () => ({ status: 'sent' }),
    cancelSubscription: async () => ({ status: 'canceled', alreadyEnded: false }),
    retryInvoicePayment: async () => ({ paid: false, invoiceStatus: 'open' }),
    fetchSubscription: async (id) => ({
      id,
      status: 'active',
      priceId: null,
      productId: null,
      planInterval: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      canceledAt: null,
    }),
    recordControl: async () => undefined,
  };
}

async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
