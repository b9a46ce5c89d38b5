/**
 * The public handles of the reconciliation workflow: its type, the Schedule that runs it, its
 * input, result and progress query. Shared by the workflow, the worker's schedule upsert and the
 * `npm run reconcile` CLI. Workflow-safe: no Node built-ins, no I/O.
 */
import { defineQuery } from '@temporalio/workflow';

/** Registered workflow type name; also the export name in `workflows/index.ts`. */
export const RECONCILE_WORKFLOW_TYPE = 'reconciliationWorkflow';

/** The one Schedule that runs reconciliation; the worker creates or updates it at start-up. */
export const RECONCILE_SCHEDULE_ID = 'stripe-reconciliation';

/** Workflow ID of scheduled runs; Temporal appends the scheduled time to each one. */
export const RECONCILE_SCHEDULED_WORKFLOW_ID = 'stripe-reconciliation';

/** Workflow ID prefix of on-demand runs started by `npm run reconcile`. */
export const RECONCILE_MANUAL_WORKFLOW_ID_PREFIX = 'stripe-reconciliation-manual-';

/**
 * A slice of Stripe's event list, walked newest first (the only order `events.list` offers).
 * All times are Stripe `created` values in Unix seconds.
 */
export interface ReconcileWindow {
  /** Lower bound, inclusive: the previous checkpoint minus the safety overlap. */
  gte: number;
  /** Upper bound, inclusive, fixed when the window opens so that pages do not shift under us. */
  lte: number;
  /** `starting_after` of the next page: the last event ID of the page already signaled. */
  cursor: string | null;
  /**
   * Events created after this count as "missed by the webhook" when Stripe reports them
   * undelivered; older ones sit in the overlap and were counted by an earlier window.
   */
  countMissedAfter: number;
}

export interface ReconcileTotals {
  /** Events returned by `events.list`, across all pages. */
  listed: number;
  /** Events signaled to their customer's workflow (duplicates included: dedupe is downstream). */
  signaled: number;
  /** Signaled events that Stripe had not delivered to every webhook endpoint. */
  missedByWebhook: number;
  /**
   * Events with nothing to signal: no customer (a guest checkout), or a type outside the six
   * handled ones (stripe-mock, for one, ignores the `types` filter).
   */
  ignored: number;
  /** Events whose payload could not be normalized; logged with their ID and skipped. */
  invalid: number;
  pages: number;
}

export interface ReconcileInput {
  /**
   * On-demand window start (Unix seconds). When set, the run lists exactly [since, until] and
   * leaves the scheduled checkpoint alone; when absent, the run continues from the checkpoint.
   */
  since?: number;
  /** On-demand window end (Unix seconds); defaults to the moment the run starts. */
  until?: number;
  /** Set only by continue-as-new: the work left and the totals so far. */
  carried?: {
    windows: ReconcileWindow[];
    tracked: boolean;
    totals: ReconcileTotals;
  };
}

export interface ReconcileResult extends ReconcileTotals {
  /** The stored checkpoint after the run, ISO date; null for an on-demand run. */
  checkpoint: string | null;
  /** The windows listed, as ISO dates, for the billing team reading the result in the UI. */
  windows: Array<{ from: string; to: string }>;
}

/** Totals so far and the window being listed, while a run is in progress. */
export interface ReconcileProgress extends ReconcileTotals {
  window: ReconcileWindow | null;
}

export const reconcileProgressQuery = defineQuery<ReconcileProgress>('reconcileProgress');

export function emptyTotals(): ReconcileTotals {
  return {
    listed: 0,
    signaled: 0,
    missedByWebhook: 0,
    ignored: 0,
    invalid: 0,
    pages: 0,
  };
}
