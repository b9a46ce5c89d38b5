/**
 * The dunning schedule as returned to the billing team by the controls.
 */
import type { DunningStage } from '../../src/domain/customer-view';

export interface DunningScheduleView {
  invoiceId: string;
  stage: DunningStage;
  /** ISO date of the first failure. */
  startedAt: string;
  /** Total extension granted so far, as a duration ("3 days"). */
  graceExtension: string;
  steps: Array<{ name: string; dueAt: string; done: boolean }>;
}
