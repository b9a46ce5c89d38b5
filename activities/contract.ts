/**
 * The activities the customer workflow calls, as types only. Workflow code imports this file
 * with `import type`; `createActivities()` in `activities/index.ts` implements it with real
 * dependencies, and workflow tests implement it with fakes.
 */
import type { DunningPolicy } from '../src/config';
import type { CustomerView, EventOutcome } from '../src/domain/customer-view';
import type { SubscriptionSnapshot, SubscriptionStatus } from '../src/domain/stripe-events';
import type { CustomerState, DunningCase, SubscriptionState } from '../workflows/customer/state';

export interface ProjectStateInput {
  customerId: string;
  /** The workflow's watermark after this change; a write with a lower one changes nothing. */
  seq: number;
  view: CustomerView;
  /** Full state snapshot, so a later run can resume after the workflow completed. */
  state: CustomerState;
  /** Subscriptions touched by this change. */
  subscriptions: SubscriptionState[];
  /** Dunning cases touched by this change. */
  dunningCases: DunningCase[];
  /** The event that caused the change, logged once per event ID; absent for timers/controls. */
  event?: AppliedEventRecord;
  /**
   * Several queued events applied together (the `batch-queued-events` patch): one projection
   * for all of them, each logged once. A batch carries `events` and no `event`.
   */
  events?: AppliedEventRecord[];
  /** Workflow time (ms) of the change. */
  at: number;
}

export interface AppliedEventRecord {
  eventId: string;
  type: string;
  created: number;
  outcome: EventOutcome;
}

export type NotificationTemplate =
  | 'payment_failed'
  | 'payment_reminder'
  | 'access_suspended'
  | 'subscription_canceled'
  | 'payment_recovered';

export interface SendNotificationInput {
  /** Outbox key: `<invoiceId>:<step>`. A second call with the same key sends nothing. */
  key: string;
  customerId: string;
  template: NotificationTemplate;
  data: {
    invoiceId: string;
    hostedInvoiceUrl: string | null;
    amountDue: number;
    currency: string;
    /** ISO date, for "we will suspend on ..." lines. */
    suspendAt?: string | null;
    cancelAt?: string | null;
    reminderNumber?: number;
  };
}

export interface SendNotificationResult {
  /** 'sent' now, 'already_sent' by an earlier attempt, 'no_recipient' when Stripe has no e-mail. */
  status: 'sent' | 'already_sent' | 'no_recipient';
}

export interface CancelSubscriptionResult {
  /** Stripe's status after the call. */
  status: SubscriptionStatus;
  /** True when Stripe had already canceled it or marked it unpaid, so nothing was called. */
  alreadyEnded: boolean;
}

export interface RetryPaymentResult {
  paid: boolean;
  invoiceStatus: string;
}

export interface ControlRecord {
  customerId: string;
  control: 'extendGrace' | 'retryPayment' | 'waiveDunning';
  invoiceId: string;
  reason: string;
  operator: string | null;
  /** The key that makes the audit write idempotent: `<invoiceId>:<control>:<seq>`. */
  key: string;
  at: number;
  detail: Record<string, unknown>;
}

/** Worker-side settings a workflow run reads once at its start (recorded in its history). */
export interface WorkflowSettings {
  /** CUSTOMER_IDLE_TIMEOUT in ms: idle time after a subscription ended before the run completes. */
  idleTimeoutMs: number;
  /** WORKFLOW_MAX_EVENTS_PER_RUN: events one run applies before it continues as new. */
  maxEventsPerRun: number;
}

export interface CustomerActivities {
  /** Worker-side dunning durations, read once when a case opens and recorded in history. */
  getDunningPolicy(): Promise<DunningPolicy>;
  /** Idle timeout and events-per-run, from the worker's config (`customerIdleTimeoutMs`, ...). */
  getWorkflowSettings(): Promise<WorkflowSettings>;
  /** The last persisted snapshot, for a run that starts after an earlier one completed. */
  loadCustomerState(customerId: string): Promise<CustomerState | null>;
  /** Writes the customer, subscriptions, dunning cases and event log; idempotent by seq/event. */
  projectState(input: ProjectStateInput): Promise<void>;
  /** Outbox-first e-mail send; idempotent by key. */
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
  /** Cancels in Stripe with an idempotency key, unless Stripe already ended it. */
  cancelSubscription(input: {
    subscriptionId: string;
    idempotencyKey: string;
  }): Promise<CancelSubscriptionResult>;
  /** `invoices.pay` with an idempotency key. */
  retryInvoicePayment(input: {
    invoiceId: string;
    idempotencyKey: string;
  }): Promise<RetryPaymentResult>;
  /** Re-reads a subscription from Stripe, to break a same-second tie state cannot decide. */
  fetchSubscription(subscriptionId: string): Promise<SubscriptionSnapshot>;
  /** Audit trail of billing-team controls. */
  recordControl(record: ControlRecord): Promise<void>;
}
