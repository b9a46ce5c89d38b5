/**
 * The Temporal Schedule that runs reconciliation. Every worker calls `ensureReconcileSchedule` at
 * start-up: it creates the Schedule, or updates its interval and action when it exists, so a new
 * RECONCILE_INTERVAL takes effect on the next deploy and concurrent workers agree. An operator's
 * pause survives restarts, because the update keeps the Schedule's state.
 *
 * docker-compose needs no service of its own for this: the worker container runs this upsert at
 * start, so `docker compose up` has the Schedule as soon as the worker is up. The billing team
 * finds it in the Temporal UI under Schedules as `stripe-reconciliation`; each run's result
 * (listed, signaled, missedByWebhook, pages, checkpoint) is shown on the run's page.
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logging/logger';
import {
  RECONCILE_SCHEDULE_ID,
  RECONCILE_SCHEDULED_WORKFLOW_ID,
  RECONCILE_WORKFLOW_TYPE,
  type ReconcileInput,
} from '../../workflows/reconcile/definitions';
import type { reconciliationWorkflow } from '../../workflows/reconcile/workflow';

export interface EnsureScheduleOptions {
  logger?: Logger;
  /** Defaults to RECONCILE_SCHEDULE_ID; tests sharing one server pass their own. */
  scheduleId?: string;
}

export interface ScheduleUpsert {
  scheduleId: string;
  outcome: 'created' | 'updated';
}

export async function ensureReconcileSchedule(
  client: Client,
  config: Pick<Config, 'reconcile' | 'temporal'>,
  options: EnsureScheduleOptions = {},
): Promise<ScheduleUpsert> {
  const { logger, scheduleId = RECONCILE_SCHEDULE_ID } = options;
  const spec: ScheduleSpec = { intervals: [{ every: config.reconcile.intervalMs }] };
  const scheduledInput: ReconcileInput = {};
  const action: ScheduleOptionsStartWorkflowAction<typeof reconciliationWorkflow> = {
    type: 'startWorkflow',
    workflowType: RECONCILE_WORKFLOW_TYPE,
    workflowId: RECONCILE_SCHEDULED_WORKFLOW_ID,
    taskQueue: config.temporal.taskQueue,
    args: [scheduledInput],
    // A run stuck on a lasting Stripe outage ends after a day; the next run resumes its window.
    workflowRunTimeout: '1 day',
  };
  const policies = {
    // Two runs at once would race on the checkpoint, and one run covers any backlog anyway.
    overlap: ScheduleOverlapPolicy.SKIP,
    catchupWindow: config.reconcile.intervalMs,
  };

  let outcome: ScheduleUpsert['outcome'];
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    outcome = 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, spec, action, policies }));
    outcome = 'updated';
  }
  logger?.info(
    { scheduleId, outcome, intervalMs: config.reconcile.intervalMs },
    'reconciliation schedule ensured',
  );
  return { scheduleId, outcome };
}
