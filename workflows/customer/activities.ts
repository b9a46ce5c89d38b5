/**
 * The activities as the workflow calls them, each with a readable summary in the history.
 *
 * Retry policy: I/O must ride out a MongoDB, SMTP or Stripe outage of minutes, so there is no
 * attempt limit and the backoff grows to about a minute. Bad input never heals by retrying, so
 * `InvalidInputError` fails at once.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type {
  CancelSubscriptionResult,
  ControlRecord,
  CustomerActivities,
  ProjectStateInput,
  RetryPaymentResult,
  SendNotificationInput,
  SendNotificationResult,
  WorkflowSettings,
} from '../../activities/contract';
import type { DunningPolicy } from '../../src/config';
import type { SubscriptionSnapshot } from '../../src/domain/stripe-events';
import type { CustomerState } from './state';

export const IO_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['InvalidInputError'],
  },
};

const io = proxyActivities<CustomerActivities>(IO_OPTIONS);

function opts(summary: string): ActivityOptions {
  return { ...IO_OPTIONS, summary };
}

export function getDunningPolicy(): Promise<DunningPolicy> {
  return io.getDunningPolicy.executeWithOptions(opts('read dunning policy'), []);
}

export function getWorkflowSettings(): Promise<WorkflowSettings> {
  return io.getWorkflowSettings.executeWithOptions(opts('read workflow settings'), []);
}

export function loadCustomerState(customerId: string): Promise<CustomerState | null> {
  return io.loadCustomerState.executeWithOptions(opts(`load saved state of ${customerId}`), [
    customerId,
  ]);
}

export function projectState(input: ProjectStateInput, summary: string): Promise<void> {
  return io.projectState.executeWithOptions(opts(`project ${summary}`), [input]);
}

export function sendNotification(input: SendNotificationInput): Promise<SendNotificationResult> {
  return io.sendNotification.executeWithOptions(opts(`e-mail ${input.template} (${input.key})`), [
    input,
  ]);
}

export function cancelSubscription(
  subscriptionId: string,
  idempotencyKey: string,
): Promise<CancelSubscriptionResult> {
  return io.cancelSubscription.executeWithOptions(opts(`cancel ${subscriptionId} in Stripe`), [
    { subscriptionId, idempotencyKey },
  ]);
}

export function retryInvoicePayment(
  invoiceId: string,
  idempotencyKey: string,
): Promise<RetryPaymentResult> {
  return io.retryInvoicePayment.executeWithOptions(opts(`pay ${invoiceId} now`), [
    { invoiceId, idempotencyKey },
  ]);
}

export function fetchSubscription(subscriptionId: string): Promise<SubscriptionSnapshot> {
  return io.fetchSubscription.executeWithOptions(
    opts(`re-read ${subscriptionId} to settle a same-second tie`),
    [subscriptionId],
  );
}

export function recordControl(record: ControlRecord): Promise<void> {
  return io.recordControl.executeWithOptions(
    opts(`record ${record.control} on ${record.invoiceId}`),
    [record],
  );
}
