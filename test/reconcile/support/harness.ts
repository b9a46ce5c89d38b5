/**
 * A reconciliation worker on the test stack's Temporal dev server, with a real Stripe client
 * pointed at the local events fake (through the same STRIPE_API_BASE config as stripe-mock), a
 * real MongoDB database of its own, and the signaler given by the test.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import mongoose from 'mongoose';
import { Registry } from 'prom-client';
import { createReconcileActivities } from '../../../activities/reconcile';
import { LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET, loadConfig } from '../../../src/config';
import type { EventSignaler } from '../../../src/ingest/signal';
import { createLogger } from '../../../src/logging/logger';
import { reconcileProgressModel } from '../../../src/reconcile/checkpoint-model';
import { createCheckpointStore } from '../../../src/reconcile/checkpoint-store';
import { createReconcileMetrics } from '../../../src/reconcile/metrics';
import { createStripeClient } from '../../../src/stripe/client';
import { STACK_ENV, testStack, uniqueMongoUri } from '../../support/stack-env';
import { quietTemporalRuntime } from '../../support/quiet-runtime';

quietTemporalRuntime();

let bundle: Promise<WorkflowBundleOption> | undefined;

/** The worker bundle (workflows/index.ts): global setup's, else one built once per test file. */
export function reconcileBundle(): Promise<WorkflowBundleOption> {
  const prebuilt = process.env[STACK_ENV.workflowBundlePath];
  if (prebuilt && existsSync(prebuilt)) return Promise.resolve({ codePath: prebuilt });
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    logger: {
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error() {},
      log() {},
    },
  });
  return bundle;
}

export function reconcileConfig(stripeApiBase: string) {
  return loadConfig({
    NODE_ENV: 'test',
    STRIPE_API_BASE: stripeApiBase,
    STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
    ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    TEMPORAL_TASK_QUEUE: `reconcile-test-${randomUUID()}`,
    RECONCILE_OVERLAP: '10 minutes',
  });
}

export interface Harness {
  client: Client;
  db: mongoose.Connection;
  taskQueue: string;
  registry: Registry;
  checkpoint: ReturnType<typeof createCheckpointStore>;
  /** Runs `body` while a worker polls the task queue. */
  withWorker<T>(body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  stripeApiBase: string;
  signaler: EventSignaler;
  label: string;
}): Promise<Harness> {
  const config = reconcileConfig(options.stripeApiBase);
  const db = await mongoose.createConnection(uniqueMongoUri(options.label)).asPromise();
  const connection = await Connection.connect({
    address: config.temporal.address,
  });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
  });
  const nativeConnection = await NativeConnection.connect({
    address: config.temporal.address,
  });
  const registry = new Registry();
  const activities = createReconcileActivities({
    stripe: createStripeClient(config),
    db,
    signaler: options.signaler,
    logger: createLogger({ level: 'silent' }),
    config,
    metrics: createReconcileMetrics(registry),
  });
  const workflowBundle = await reconcileBundle();
  return {
    client,
    db,
    taskQueue: config.temporal.taskQueue,
    registry,
    checkpoint: createCheckpointStore(reconcileProgressModel(db)),
    async withWorker(body) {
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue: config.temporal.taskQueue,
        workflowBundle,
        activities,
      });
      return worker.runUntil(body);
    },
    async close() {
      await db.dropDatabase();
      await db.close();
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** Polls until `check` holds; real waits only for things that happen in other processes. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
