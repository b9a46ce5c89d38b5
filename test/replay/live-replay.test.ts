/**
 * `npm run replay` against a real Temporal dev server (the test stack's): a live customer run
 * replays against the current code, and an unknown workflow ID fails with a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { atRest } from '../../scripts/histories/driver';
import { NODE_BIN, ROOT } from '../../scripts/lib/paths';
import { CUSTOMER_WORKFLOW_TYPE, customerWorkflowId } from '../../workflows/definitions';
import { testStack } from '../support/stack-env';
import { FakeActivities } from '../workflows/support/fake-activities';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

function runReplayCli(args: string[]) {
  return spawnSync(join(NODE_BIN, 'tsx'), [join('scripts', 'replay.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', TEMPORAL_ADDRESS: testStack().temporalAddress },
    timeout: 120_000,
  });
}

describe('npm run replay', () => {
  it('replays a live customer run from the Temporal server and prints PASS', async () => {
    const stack = testStack();
    const taskQueue = `live-replay-${Date.now()}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: stack.workflowBundlePath },
      activities: new FakeActivities().implementation(),
    });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    const workflowId = customerWorkflowId(`cus_Replay${Date.now().toString(36)}`);
    try {
      await worker.runUntil(async () => {
        const handle = await client.workflow.start(CUSTOMER_WORKFLOW_TYPE, {
          workflowId,
          taskQueue,
          args: [{ customerId: workflowId.slice('customer-'.length) }],
        });
        // Wait until the run has done its start-up activities and is waiting for input.
        for (let i = 0; i < 100; i++) {
          const history = await handle.fetchHistory();
          if ((history.events?.length ?? 0) > 10 && atRest(history)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      });
      const result = runReplayCli(['--workflow-id', workflowId]);
      expect(result.stdout).toContain(`PASS ${workflowId}`);
      expect(result.status).toBe(0);
    } finally {
      await client.workflow
        .getHandle(workflowId)
        .terminate('test done')
        .catch(() => undefined);
      await connection.close();
      await nativeConnection.close();
    }
  }, 180_000);

  it('exits non-zero when the workflow does not exist', () => {
    const result = runReplayCli(['--workflow-id', 'customer-cus_DoesNotExist']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not found/i);
  }, 120_000);
});
