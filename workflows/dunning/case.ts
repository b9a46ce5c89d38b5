/**
 * The life of one dunning case, as pure functions over `DunningCase`. Step times are absolute
 * (workflow ms) and computed once when the case opens, so a policy change never reshuffles an
 * open case and a restart resumes the same schedule.
 */
import type { DunningPolicy } from '../../src/config';
import type { DunningStage } from '../../src/domain/customer-view';
import type { InvoiceEvent } from '../../src/domain/stripe-events';
import type { DunningCase, DunningOutcome, DunningStep, DunningStepName } from '../customer/state';

export function reminderStepName(index: number): DunningStepName {
  return `reminder-${index + 1}`;
}

export function openCase(event: InvoiceEvent, policy: DunningPolicy, now: number): DunningCase {
  const invoice = event.invoice;
  const steps: DunningStep[] = [
    { name: 'notice', dueAt: now, doneAt: null },
    ...[...policy.remindersMs]
      .sort((a, b) => a - b)
      .map((offset, i) => ({
        name: reminderStepName(i),
        dueAt: now + offset,
        doneAt: null,
      })),
    { name: 'suspend', dueAt: now + policy.graceMs, doneAt: null },
    { name: 'cancel', dueAt: now + policy.cancelMs, doneAt: null },
  ];
  return {
    invoiceId: invoice.id,
    subscriptionId: invoice.subscriptionId,
    hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    amountDue: invoice.amountDue,
    currency: invoice.currency,
    attempt: Math.max(1, invoice.attemptCount),
    nextPaymentAttempt: invoice.nextPaymentAttempt,
    startedAt: now,
    failedEventCreated: event.created,
    stage: 'payment_failed',
    steps,
    graceExtensionMs: 0,
    outcome: 'open',
    closedAt: null,
  };
}

/**
 * A later failure of the same invoice. Stripe's `attempt_count` only grows, but events arrive out
 * of order: an older failure must not lower the count or bring back an earlier retry date.
 */
export function advanceAttempt(dunning: DunningCase, event: InvoiceEvent): DunningCase {
  const { attemptCount, nextPaymentAttempt, hostedInvoiceUrl } = event.invoice;
  if (attemptCount < dunning.attempt) return dunning;
  return {
    ...dunning,
    attempt: attemptCount,
    nextPaymentAttempt:
      attemptCount > dunning.attempt || dunning.nextPaymentAttempt === null
        ? nextPaymentAttempt
        : dunning.nextPaymentAttempt,
    hostedInvoiceUrl: hostedInvoiceUrl ?? dunning.hostedInvoiceUrl,
  };
}

export function isOpen(dunning: DunningCase): boolean {
  return dunning.outcome === 'open';
}

const CLOSED_STAGE: Record<Exclude<DunningOutcome, 'open'>, DunningStage> = {
  recovered: 'recovered',
  reactivated: 'closed',
  waived: 'waived',
  canceled: 'canceled',
  subscription_deleted: 'closed',
};

export function closeCase(
  dunning: DunningCase,
  outcome: Exclude<DunningOutcome, 'open'>,
  now: number,
): DunningCase {
  if (!isOpen(dunning)) return dunning;
  return { ...dunning, outcome, stage: CLOSED_STAGE[outcome], closedAt: now };
}

/** Steps that are due and not done yet, earliest first. */
export function dueSteps(dunning: DunningCase, now: number): DunningStep[] {
  if (!isOpen(dunning)) return [];
  return dunning.steps
    .filter((step) => step.doneAt === null && step.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt);
}

/** The next pending step's due time, or null when nothing more is scheduled. */
export function nextDueAt(dunning: DunningCase): number | null {
  if (!isOpen(dunning)) return null;
  const pending = dunning.steps.filter((step) => step.doneAt === null).map((step) => step.dueAt);
  return pending.length === 0 ? null : Math.min(...pending);
}

export function stageAfter(step: DunningStepName, current: DunningStage): DunningStage {
  if (step === 'notice') return current === 'payment_failed' ? 'payment_failed' : current;
  if (step === 'suspend') return 'suspended';
  if (step === 'cancel') return 'canceled';
  // A reminder never moves a suspended case back.
  return current === 'suspended' ? 'suspended' : 'reminded';
}

/** Marks one step done at `now` and moves the stage on. */
export function completeStep(
  dunning: DunningCase,
  name: DunningStepName,
  now: number,
): DunningCase {
  return {
    ...dunning,
    stage: stageAfter(name, dunning.stage),
    steps: dunning.steps.map((step) =>
      step.name === name && step.doneAt === null ? { ...step, doneAt: now } : step,
    ),
  };
}

export function stepDueAt(dunning: DunningCase, name: DunningStepName): number | null {
  return dunning.steps.find((step) => step.name === name)?.dueAt ?? null;
}

/**
 * Moves the pending suspension and cancellation later. A suspension that already happened stays
 * (its e-mail is sent); only the steps still ahead move, so no step runs twice.
 */
export function extendGrace(dunning: DunningCase, byMs: number): DunningCase {
  return {
    ...dunning,
    graceExtensionMs: dunning.graceExtensionMs + byMs,
    steps: dunning.steps.map((step) =>
      (step.name === 'suspend' || step.name === 'cancel') && step.doneAt === null
        ? { ...step, dueAt: step.dueAt + byMs }
        : step,
    ),
  };
}
