/**
 * The long-running workflow of one Stripe customer.
 *
 * Handlers only validate and enqueue; one loop applies events, runs due dunning steps and
 * billing-team controls one at a time, and sleeps on a durable timer until the next step, the
 * idle deadline or new input. History stays bounded by continuing as new.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { parseDuration } from '../../src/config/durations';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import {
  customerStateQuery,
  extendGraceUpdate,
  retryPaymentUpdate,
  stripeEventSignal,
  waiveDunningUpdate,
  type ControlArgs,
  type CustomerWorkflowInput,
  type ExtendGraceArgs,
} from '../definitions';
import type { DunningScheduleView } from '../dunning/schedule';
import * as activities from './activities';
import { workflowNow } from './clock';
import { checkControlArgs, checkExtendGraceArgs } from './controls';
import { wasApplied } from './dedupe';
import { CustomerRun, type ControlJob, type ControlName } from './run';
import { emptyCustomerState } from './state';
import { eventProblem } from './validate-event';

/** Patch ID: continue as new at the event bound even while events are queued. */
export const BOUNDED_RUN_PATCH = 'bounded-run-under-steady-traffic';
/** Patch ID: apply all queued events (within bounds) with one projection. */
export const BATCH_PATCH = 'batch-queued-events';
/** Most events applied with one projection: bounds the activity's input and its run time. */
export const MAX_EVENTS_PER_BATCH = 100;

export async function customerSubscriptionWorkflow(input: CustomerWorkflowInput): Promise<void> {
  const { customerId } = input;
  const run = new CustomerRun(input.carried ?? emptyCustomerState(customerId, workflowNow()));
  const queue: NormalizedEvent[] = [...(input.pendingEvents ?? [])];
  const jobs: ControlJob[] = [];

  setHandler(stripeEventSignal, (event) => {
    const problem = eventProblem(event, customerId);
    if (problem !== null) {
      log.warn('Stripe event dropped', {
        customerId,
        eventId: event?.id,
        problem,
      });
      return;
    }
    if (wasApplied(run.state, event.id) || queue.some((queued) => queued.id === event.id)) {
      log.info('Duplicate Stripe event dropped', {
        customerId,
        eventId: event.id,
      });
      return;
    }
    queue.push(event);
  });

  setHandler(customerStateQuery, () => run.state);

  const control = async (
    name: ControlName,
    args: ControlArgs | ExtendGraceArgs,
    byMs = 0,
  ): Promise<DunningScheduleView> => {
    const job: ControlJob = { control: name, args, byMs, done: false };
    jobs.push(job);
    await condition(() => job.done);
    if (job.failure) throw job.failure;
    return job.result as DunningScheduleView;
  };
  setHandler(
    extendGraceUpdate,
    // The validator already accepted `by`, so parsing it again cannot fail here.
    (args) => control('extendGrace', args, parseDuration(args.by)),
    { validator: (args: ExtendGraceArgs) => void checkExtendGraceArgs(args, run.state) },
  );
  setHandler(retryPaymentUpdate, (args) => control('retryPayment', args), {
    validator: (args: ControlArgs) => void checkControlArgs(args, run.state),
  });
  setHandler(waiveDunningUpdate, (args) => control('waiveDunning', args), {
    validator: (args: ControlArgs) => void checkControlArgs(args, run.state),
  });

  const settings = await activities.getWorkflowSettings();
  if (!input.carried) {
    // A run after an earlier one completed resumes from the last snapshot in MongoDB.
    const saved = await activities.loadCustomerState(customerId);
    if (saved) run.state = saved;
  }

  let eventsThisRun = 0;
  for (;;) {
    const job = jobs.shift();
    if (job) {
      try {
        await run.runControl(job);
      } finally {
        job.done = true;
      }
      continue;
    }
    const dueToContinue =
      eventsThisRun >= settings.maxEventsPerRun || workflowInfo().continueAsNewSuggested;
    // Before this patch a steady stream of events kept a run going past its bound, because the
    // boundary was only checked once the queue was empty. Now queued events are carried into the
    // next run instead. Lifecycle as for the patch in run.ts: deprecatePatch() once no run that
    // started before it is open, then remove.
    const carryQueue = queue.length > 0 && dueToContinue && patched(BOUNDED_RUN_PATCH);
    // Before this patch every event cost its own projection, so a burst to one customer queued
    // behind one MongoDB round trip per event. Now the queue is applied in one go; the reducer
    // still sees the events one at a time, in order. Lifecycle as for the patches above.
    if (!carryQueue && queue.length > 1 && patched(BATCH_PATCH)) {
      const room = Math.max(1, settings.maxEventsPerRun - eventsThisRun);
      const batch = queue.splice(0, Math.min(room, MAX_EVENTS_PER_BATCH));
      await run.applyEvents(batch);
      eventsThisRun += batch.length;
      await run.runDueSteps();
      continue;
    }
    const event = carryQueue ? undefined : queue.shift();
    if (event) {
      await run.applyEvent(event);
      eventsThisRun += 1;
      await run.runDueSteps();
      continue;
    }
    await run.runDueSteps();

    // Controls are awaited by their update handlers, so they always run before the boundary;
    // events wait for the next run only when they are being carried.
    const pending = (): boolean => jobs.length > 0 || (!carryQueue && queue.length > 0);
    if (dueToContinue) {
      // A handler still running would lose its work at the boundary; new input is applied first.
      await condition(() => pending() || allHandlersFinished());
      if (pending()) continue;
      log.info('Continuing as new', {
        customerId,
        eventsThisRun,
        seq: run.state.seq,
      });
      return continueAsNew<typeof customerSubscriptionWorkflow>({
        customerId,
        carried: run.state,
        pendingEvents: queue,
      });
    }

    const now = workflowNow();
    const idleAt = run.idleDeadline(settings.idleTimeoutMs);
    if (idleAt !== null && idleAt <= now) {
      await condition(() => pending() || allHandlersFinished());
      if (pending()) continue;
      log.info('Customer idle, workflow completes', {
        customerId,
        seq: run.state.seq,
      });
      return;
    }
    const step = run.nextStep();
    const wake =
      step !== null && (idleAt === null || step.at <= idleAt)
        ? step
        : idleAt !== null
          ? { at: idleAt, label: 'idle until the workflow completes' }
          : null;
    if (wake === null) await condition(pending);
    else
      await condition(pending, Math.max(1, wake.at - now), {
        summary: wake.label,
      });
  }
}
