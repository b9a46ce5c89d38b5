/**
 * The dunning schedule as returned to the billing team by the controls.
 */
import { formatDuration } from '../../src/config/durations';
import type { DunningStage } from '../../src/domain/customer-view';
import type { DunningCase } from '../customer/state';

export interface DunningScheduleView {
  invoiceId: string;
  stage: DunningStage;
  /** ISO date of the first failure. */
  startedAt: string;
  /** Total extension granted so far, as a duration ("3 days"). */
  graceExtension: string;
  steps: Array<{ name: string; dueAt: string; done: boolean }>;
}

/** The billing team's view of a case: what has happened and what is still ahead. */
export function toScheduleView(dunning: DunningCase): DunningScheduleView {
  return {
    invoiceId: dunning.invoiceId,
    stage: dunning.stage,
    startedAt: new Date(dunning.startedAt).toISOString(),
    graceExtension:
      dunning.graceExtensionMs === 0 ? '0s' : formatDuration(dunning.graceExtensionMs),
    steps: dunning.steps.map((step) => ({
      name: step.name,
      dueAt: new Date(step.dueAt).toISOString(),
      done: step.doneAt !== null,
    })),
  };
}
