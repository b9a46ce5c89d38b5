/**
 * `npm run billing` against a real Temporal dev server (the test stack's) with a Worker running
 * the real workflow: the CLI runs the Update, prints the new schedule, and prints the workflow's
 * rejection, naming the bad argument, when one is wrong.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { NODE_BIN, ROOT } from '../../scripts/lib/paths';
import {
  CUSTOMER_WORKFLOW_TYPE,
  customerStateQuery,
  customerWorkflowId,
  stripeEventSignal,
} from '../../workflows/definitions';
import type { DunningScheduleView } from '../../workflows/dunning/schedule';
import { testStack } from '../support/stack-env';
import { invoiceEvent } from '../workflows/support/events';
import { FakeActivities } from '../workflows/support/fake-activities';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would; async, so the in-process Worker keeps serving meanwhile. */
async function billing(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      join(NODE_BIN, 'tsx'),
      [join('scripts', 'billing.ts'), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          TEMPORAL_ADDRESS: testStack().temporalAddress,
          TEMPORAL_TASK_QUEUE: 'unused-by-updates',
        },
        timeout: 120_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run billing', () => {
  const customerId = `cus_Billing${Date.now().toString(36)}`;
  const invoiceId = 'in_BillingCli1';
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    const stack = testStack();
    const taskQueue = `billing-cli-${Date.now()}`;
    nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: stack.workflowBundlePath },
      activities: new FakeActivities().implementation(),
    });
    running = worker.run();
    connection = await Connection.connect({ address: stack.temporalAddress });
    client = new Client({ connection });
    const failure = invoiceEvent(
      'invoice.payment_failed',
      { id: invoiceId, subscriptionId: 'sub_BillingCli1', attemptCount: 1 },
      { created: Math.floor(Date.now() / 1000), customerId },
    );
    const handle = await client.workflow.signalWithStart(CUSTOMER_WORKFLOW_TYPE, {
      workflowId: customerWorkflowId(customerId),
      taskQueue,
      args: [{ customerId }],
      signal: stripeEventSignal,
      signalArgs: [failure],
    });
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(customerStateQuery);
      if (state.dunning[invoiceId]?.outcome === 'open') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('The dunning case never opened.');
  }, 120_000);

  afterAll(async () => {
    await client.workflow
      .getHandle(customerWorkflowId(customerId))
      .terminate('test done')
      .catch(() => undefined);
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
  });

  it('extends grace and prints the new schedule with suspension moved by the duration', async () => {
    const result = await billing([
      'extend-grace',
      customerId,
      '3 days',
      '--reason',
      'called support',
      '--operator',
      'ana',
    ]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const schedule = JSON.parse(result.stdout) as DunningScheduleView;
    expect(schedule).toMatchObject({ invoiceId, graceExtension: '3 days' });
    const at = (name: string) =>
      Date.parse(schedule.steps.find((step) => step.name === name)?.dueAt ?? '');
    const days = (ms: number) => Math.round(ms / 86_400_000);
    expect(days(at('suspend') - Date.parse(schedule.startedAt))).toBe(7 + 3);
    expect(days(at('cancel') - Date.parse(schedule.startedAt))).toBe(14 + 3);
  }, 120_000);

  it('prints the rejection, naming the argument, when the duration is not one', async () => {
    const result = await billing(['extend-grace', customerId, 'soon', '--reason', 'x']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('by "soon" is not a duration');
  }, 120_000);

  it('refuses to act without a reason, before it contacts Temporal', async () => {
    const result = await billing(['waive', customerId]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--reason is required');
  }, 120_000);
});
