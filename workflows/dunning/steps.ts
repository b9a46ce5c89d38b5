/**
 * Running the dunning steps that are due. Each step is marked done together with its projection
 * before its e-mail goes out: Temporal replays never re-run a completed activity, and a later run
 * that resumes from the MongoDB snapshot sees the step done. The outbox key protects the send
 * itself against an activity retry.
 */
import { log } from '@temporalio/workflow';
import type { SubscriptionStatus } from '../../src/domain/stripe-events';
import * as activities from '../customer/activities';
import { workflowNow } from '../customer/clock';
import type { CustomerRun } from '../customer/run';
import type { DunningCase, DunningStep } from '../customer/state';
import { closeCase, completeStep, dueSteps, isOpen } from './case';

/** Stripe statuses after which dunning has nothing left to cancel. */
const NOTHING_TO_CANCEL: readonly SubscriptionStatus[] = [
  'canceled',
  'unpaid',
  'incomplete_expired',
];

export async function runDueSteps(run: CustomerRun): Promise<void> {
  const open = Object.values(run.state.dunning)
    .filter(isOpen)
    .sort((a, b) => a.startedAt - b.startedAt);
  for (const { invoiceId } of open) {
    const due = dueSteps(run.state.dunning[invoiceId] as DunningCase, workflowNow());
    for (const [index, step] of due.entries()) {
      if (!isOpen(run.state.dunning[invoiceId] as DunningCase)) break;
      // After a long outage several steps can be due at once; a reminder that a later step has
      // already overtaken is marked done without an e-mail instead of arriving out of date.
      const overtaken = step.name.startsWith('reminder-') && index < due.length - 1;
      await runStep(run, invoiceId, step, overtaken);
    }
  }
}

async function runStep(
  run: CustomerRun,
  invoiceId: string,
  step: DunningStep,
  overtaken: boolean,
): Promise<void> {
  log.info('Dunning step due', {
    customerId: run.state.customerId,
    invoiceId,
    step: step.name,
  });
  if (step.name === 'cancel') {
    await runCancel(run, invoiceId);
    return;
  }
  await run.completeStep(invoiceId, step.name);
  if (!overtaken) await run.notify(invoiceId, step.name);
}

/**
 * The final step: cancel in Stripe (idempotency key per invoice, so a retried or replayed call
 * cancels once) unless Stripe already ended the subscription, then close the case and tell the
 * customer.
 */
async function runCancel(run: CustomerRun, invoiceId: string): Promise<void> {
  const dunning = run.state.dunning[invoiceId] as DunningCase;
  const subscription = dunning.subscriptionId
    ? run.state.subscriptions[dunning.subscriptionId]
    : undefined;
  let endedAs: SubscriptionStatus | null = null;
  if (subscription && !NOTHING_TO_CANCEL.includes(subscription.status)) {
    const result = await activities.cancelSubscription(
      subscription.id,
      `dunning-cancel-${invoiceId}`,
    );
    endedAs = result.status === 'unpaid' ? 'unpaid' : 'canceled';
  }
  const now = workflowNow();
  const closed = closeCase(completeStep(dunning, 'cancel', now), 'canceled', now);
  const subscriptions = { ...run.state.subscriptions };
  const touched = [];
  if (subscription && endedAs !== null) {
    const ended = { ...subscription, status: endedAs };
    subscriptions[subscription.id] = ended;
    touched.push(ended);
  }
  run.state = {
    ...run.state,
    subscriptions,
    dunning: { ...run.state.dunning, [invoiceId]: closed },
  };
  run.touch(now);
  await run.commit({
    subscriptions: touched,
    dunningCases: [closed],
    summary: `dunning cancel of ${invoiceId}`,
  });
  await run.notify(invoiceId, 'cancel');
}
