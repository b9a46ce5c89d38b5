/**
 * The activities the reconciliation workflow calls, as types only. Workflow code imports this
 * file with `import type`; `createReconcileActivities()` implements it.
 */
import type { ReconcileWindow } from '../../workflows/reconcile/definitions';

export interface PlanInput {
  /** On-demand window (Unix seconds); absent for a scheduled run. */
  since?: number;
  until?: number;
}

export interface ReconcilePlan {
  /**
   * Windows to list, in order. A scheduled run first finishes a window that an earlier run left
   * half done (resuming at its stored cursor), then lists from the checkpoint to now.
   */
  windows: ReconcileWindow[];
  /** Whether progress is stored in MongoDB (scheduled runs) or kept in the workflow only. */
  tracked: boolean;
}

export interface PageInput {
  window: ReconcileWindow;
  tracked: boolean;
}

export interface PageResult {
  listed: number;
  signaled: number;
  missedByWebhook: number;
  ignored: number;
  invalid: number;
  /** Cursor of the next page, or null when this was the window's last page. */
  nextCursor: string | null;
}

export interface CompleteWindowInput {
  window: ReconcileWindow;
  tracked: boolean;
}

export interface ReconcileActivities {
  /** Reads the checkpoint (and any unfinished window) and decides what this run lists. */
  planReconciliation(input: PlanInput): Promise<ReconcilePlan>;
  /**
   * Lists one page, signals each handled event with signal-with-start, and only then stores the
   * cursor, so a run that dies mid-window resumes after the last page it fully delivered.
   */
  reconcilePage(input: PageInput): Promise<PageResult>;
  /** Moves the checkpoint to the window's upper bound and forgets the window. Returns it (s). */
  completeWindow(input: CompleteWindowInput): Promise<{ checkpoint: number | null }>;
}
