/**
 * Reconciliation: lists the events Stripe holds since the last checkpoint and feeds each one to
 * its customer's workflow, so an event the webhook never received (an outage longer than Stripe's
 * 3 days of retries, a wrong secret, a disabled endpoint) is still applied. Dedupe in the customer
 * workflow makes the overlap and already-delivered events harmless.
 *
 * One activity per page keeps a failure local: the cursor lives in workflow state, so a retried
 * page resumes where the last delivered page ended, and the activity stores the same cursor in
 * MongoDB so that even a terminated run is resumed by the next one.
 */
import {
  type ActivityOptions,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReconcileActivities } from '../../activities/reconcile/contract';
import {
  emptyTotals,
  reconcileProgressQuery,
  type ReconcileInput,
  type ReconcileResult,
  type ReconcileTotals,
  type ReconcileWindow,
} from './definitions';

const BOOKKEEPING: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  // Rides out a Stripe or MongoDB outage of minutes; the Schedule skips runs while one is going.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** A page is up to 100 list items and as many signal-with-start calls. */
const PAGE: ActivityOptions = { ...BOOKKEEPING, startToCloseTimeout: '5 minutes' };

const activities = proxyActivities<ReconcileActivities>(BOOKKEEPING);

export async function reconciliationWorkflow(input: ReconcileInput = {}): Promise<ReconcileResult> {
  const plan = input.carried ?? {
    ...(await activities.planReconciliation.executeWithOptions(
      { ...BOOKKEEPING, summary: 'read the checkpoint and plan the windows' },
      [{ since: input.since, until: input.until }],
    )),
    totals: emptyTotals(),
  };
  const totals: ReconcileTotals = { ...plan.totals };
  const pending: ReconcileWindow[] = [...plan.windows];
  let current: ReconcileWindow | null = null;
  setHandler(reconcileProgressQuery, () => ({ ...totals, window: current }));

  let checkpoint: number | null = null;
  const listed: ReconcileWindow[] = [];
  while (pending.length > 0) {
    current = pending[0] as ReconcileWindow;
    const page = await activities.reconcilePage.executeWithOptions(
      { ...PAGE, summary: pageSummary(totals.pages + 1, current) },
      [{ window: current, tracked: plan.tracked }],
    );
    totals.listed += page.listed;
    totals.signaled += page.signaled;
    totals.missedByWebhook += page.missedByWebhook;
    totals.ignored += page.ignored;
    totals.invalid += page.invalid;
    totals.pages += 1;
    if (page.nextCursor !== null) {
      current = { ...current, cursor: page.nextCursor };
      pending[0] = current;
    } else {
      ({ checkpoint } = await activities.completeWindow.executeWithOptions(
        { ...BOOKKEEPING, summary: `store the checkpoint ${isoOf(current.lte)}` },
        [{ window: current, tracked: plan.tracked }],
      ));
      listed.push(current);
      pending.shift();
      current = null;
    }
    if (pending.length > 0 && workflowInfo().continueAsNewSuggested) {
      // Thousands of pages would outgrow one history; the cursor and totals travel along.
      await continueAsNew<typeof reconciliationWorkflow>({
        carried: { windows: pending, tracked: plan.tracked, totals },
      });
    }
  }

  return {
    ...totals,
    checkpoint: checkpoint === null ? null : isoOf(checkpoint),
    windows: listed.map((w) => ({ from: isoOf(w.gte), to: isoOf(w.lte) })),
  };
}

/** What the billing team reads next to each page in the Temporal UI's history. */
function pageSummary(page: number, window: ReconcileWindow): string {
  const after = window.cursor ? `, after ${window.cursor}` : '';
  return `page ${page}: events from ${isoOf(window.gte)} to ${isoOf(window.lte)}${after}`;
}

function isoOf(unixSeconds: number): string {
  // Date from a given number is deterministic, unlike Date.now(); safe in workflow code.
  return new Date(unixSeconds * 1000).toISOString();
}
