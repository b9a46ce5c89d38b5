/**
 * Workflow-test plumbing: Workers with fake activities, and small helpers to start and watch a
 * customer. Each test file connects to a time-skipping server of its own through
 * `startIsolatedTimeSkippingEnv()` in test/support/time-skipping-env.ts.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle, WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  Worker,
  type WorkerOptions,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { NormalizedEvent } from '../../../src/domain/stripe-events';
import {
  CUSTOMER_WORKFLOW_TYPE,
  customerStateQuery,
  customerWorkflowId,
  stripeEventSignal,
  type CustomerWorkflowInput,
} from '../../../workflows/definitions';
import type { CustomerState } from '../../../workflows/customer/state';
import { STACK_ENV } from '../../support/stack-env';
import type { FakeActivities } from './fake-activities';
import { quietTemporalRuntime } from '../../support/quiet-runtime';

quietTemporalRuntime();

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
  options: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fake.implementation(),
    ...options,
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
): Promise<WorkflowHandleWithSignaledRunId> {
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
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Terminates the customer's workflow, whatever run its chain has reached. A terminate that races
 * a continue-as-new hits the run that just ended and the new run keeps going; with no Worker left
 * its pending task would hold the time-skipping server's clock still for every later test.
 */
export async function terminateCustomer(env: TestWorkflowEnvironment, customerId: string) {
  const handle = env.client.workflow.getHandle(customerWorkflowId(customerId));
  for (let attempt = 0; attempt < 20; attempt++) {
    await handle.terminate('test over').catch(() => undefined);
    const status = await handle.describe().then(
      (d) => d.status.name,
      () => 'NOT_FOUND',
    );
    if (status !== 'RUNNING') return;
  }
  throw new Error(`customer ${customerId} is still running after 20 terminations`);
}
