/**
 * Workflow-test plumbing: a client of the Java time-skipping server that Jest's global setup
 * started, Workers with fake activities, and small helpers to start and watch a customer.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { NormalizedEvent } from '../../../src/domain/stripe-events';
import {
  CUSTOMER_WORKFLOW_TYPE,
  customerStateQuery,
  customerWorkflowId,
  SEARCH_ATTRIBUTES,
  stripeEventSignal,
  type CustomerWorkflowInput,
} from '../../../workflows/definitions';
import type { CustomerState } from '../../../workflows/customer/state';
import { STACK_ENV } from '../../support/stack-env';
import type { FakeActivities } from './fake-activities';

type CreateOptions = {
  server: { type: 'existing' };
  address: string;
  namespace: string;
  supportsTimeSkipping: boolean;
};

/**
 * Connects to the already running time-skipping server. The SDK's public constructors either
 * launch their own server binary (which needs a download this machine cannot make) or connect
 * without time skipping; its internal `create` does exactly "existing server, with time skipping".
 */
export async function connectTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const address = process.env[STACK_ENV.timeSkippingAddress];
  if (!address) {
    throw new Error(
      `${STACK_ENV.timeSkippingAddress} is not set: run the suite with npm test, whose global ` +
        'setup starts the time-skipping server.',
    );
  }
  const factory = TestWorkflowEnvironment as unknown as {
    create(options: CreateOptions): Promise<TestWorkflowEnvironment>;
  };
  const env = await factory.create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: true,
  });
  await registerSearchAttributes(env);
  return env;
}

/**
 * The time-skipping server rejects upserts of unknown search attributes, like a real cluster, so
 * the tests register the workflow's typed attributes first.
 */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  // One call per name: the server refuses a whole batch when any one name already exists.
  for (const name of Object.keys(SEARCH_ATTRIBUTES)) {
    try {
      await env.connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { [name]: keyword },
      });
    } catch (error) {
      if (!/already/i.test(String(error))) throw error;
    }
  }
}

let bundle: Promise<WorkflowBundleOption> | undefined;

/** The workflow bundle: the one global setup built, else one built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  const prebuilt = process.env[STACK_ENV.workflowBundlePath];
  if (prebuilt) return Promise.resolve({ codePath: prebuilt });
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  return bundle;
}

export async function createWorker(
  env: TestWorkflowEnvironment,
  fake: FakeActivities,
  taskQueue: string,
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fake.implementation(),
  });
}

export function uniqueTaskQueue(label: string): string {
  return `${label}-${randomUUID()}`;
}

/** A customer ID of its own per test, so workflows of different tests never meet. */
export function uniqueCustomerId(): string {
  return `cus_${randomUUID().replace(/-/g, '').slice(0, 14)}`;
}

export async function sendEvent(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  event: NormalizedEvent,
  input: Partial<CustomerWorkflowInput> = {},
): Promise<WorkflowHandle> {
  return env.client.workflow.signalWithStart(CUSTOMER_WORKFLOW_TYPE, {
    workflowId: customerWorkflowId(event.customerId),
    taskQueue,
    args: [{ customerId: event.customerId, ...input }],
    signal: stripeEventSignal,
    signalArgs: [event],
  });
}

/**
 * Polls the state query until `done` holds. The clock of the time-skipping server stands still
 * meanwhile: this waits for the Worker, not for workflow time.
 */
export async function waitForState(
  handle: WorkflowHandle,
  done: (state: CustomerState) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<CustomerState> {
  const deadline = Date.now() + timeoutMs;
  let last: CustomerState | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(customerStateQuery);
      if (done(last)) return last;
    } catch {
      // The first workflow task may not have run yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

export function appliedCount(state: CustomerState): number {
  return state.appliedEvents.length;
}

/** Polls until `check` holds: for effects that happen after the state change a query sees. */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
