/** The reconciliation Schedule upsert against the Temporal dev server. */
import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { ensureReconcileSchedule } from '../../src/reconcile/schedule';
import { RECONCILE_WORKFLOW_TYPE } from '../../workflows/reconcile/definitions';
import { testStack } from '../support/stack-env';
import { reconcileConfig } from './support/harness';

describe('ensureReconcileSchedule', () => {
  let connection: Connection;
  let client: Client;
  const scheduleId = `stripe-reconciliation-test-${randomUUID()}`;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testStack().temporalAddress });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await client.schedule.getHandle(scheduleId).delete();
    await connection.close();
  });

  function configEvery(interval: string) {
    const config = reconcileConfig('http://127.0.0.1:1');
    return {
      ...config,
      reconcile: { ...config.reconcile, intervalMs: interval === '1 hour' ? 3_600_000 : 900_000 },
    };
  }

  it('creates the Schedule at first start, then updates it in place with a new interval', async () => {
    const hourly = configEvery('1 hour');
    await expect(ensureReconcileSchedule(client, hourly, { scheduleId })).resolves.toEqual({
      scheduleId,
      outcome: 'created',
    });
    const created = await client.schedule.getHandle(scheduleId).describe();
    expect(created.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(created.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(created.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: RECONCILE_WORKFLOW_TYPE,
      taskQueue: hourly.temporal.taskQueue,
    });

    const quarterly = configEvery('15 minutes');
    await expect(ensureReconcileSchedule(client, quarterly, { scheduleId })).resolves.toEqual({
      scheduleId,
      outcome: 'updated',
    });
    const updated = await client.schedule.getHandle(scheduleId).describe();
    expect(updated.spec.intervals).toHaveLength(1);
    expect(updated.spec.intervals?.[0]?.every).toBe(900_000);
    expect(updated.action).toMatchObject({ taskQueue: quarterly.temporal.taskQueue });
  });

  it('keeps an operator pause when a worker starts again', async () => {
    await ensureReconcileSchedule(client, configEvery('1 hour'), { scheduleId });
    await client.schedule.getHandle(scheduleId).pause('billing team investigates');

    await ensureReconcileSchedule(client, configEvery('1 hour'), { scheduleId });

    const described = await client.schedule.getHandle(scheduleId).describe();
    expect(described.state.paused).toBe(true);
  });
});
