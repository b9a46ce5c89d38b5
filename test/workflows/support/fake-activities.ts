/**
 * An in-memory implementation of `CustomerActivities` for workflow tests: it records every call
 * and keeps an outbox, so tests assert on what the workflow asked for, at the factory boundary.
 */
import type {
  AppliedEventRecord,
  ControlRecord,
  CustomerActivities,
  ProjectStateInput,
  SendNotificationInput,
  WorkflowSettings,
} from '../../../activities/contract';
import type { DunningPolicy } from '../../../src/config';
import type { SubscriptionSnapshot } from '../../../src/domain/stripe-events';
import type { CustomerState } from '../../../workflows/customer/state';

const DAY = 86_400_000;

/** The events one projection logs: its single event, or its batch. */
export function eventsOf(p: ProjectStateInput): AppliedEventRecord[] {
  return p.events ?? (p.event ? [p.event] : []);
}

export class FakeActivities {
  policy: DunningPolicy = {
    remindersMs: [3 * DAY, 5 * DAY],
    graceMs: 7 * DAY,
    cancelMs: 14 * DAY,
  };
  settings: WorkflowSettings = {
    idleTimeoutMs: 30 * DAY,
    maxEventsPerRun: 500,
  };
  /** The last snapshot projected per customer: what MongoDB would hand a new run. */
  readonly saved = new Map<string, CustomerState>();
  /** Stripe's current copy of subscriptions, for tie-breaking re-reads. */
  stripe = new Map<string, SubscriptionSnapshot>();
  /** What `invoices.pay` answers. */
  retryPays = false;

  readonly projections: ProjectStateInput[] = [];
  /** Every send attempt, including ones the outbox suppressed. */
  readonly sendAttempts: SendNotificationInput[] = [];
  /** Sends that went out: one per outbox key. */
  readonly sent: SendNotificationInput[] = [];
  readonly cancels: Array<{ subscriptionId: string; idempotencyKey: string }> = [];
  readonly retries: Array<{ invoiceId: string; idempotencyKey: string }> = [];
  readonly fetches: string[] = [];
  readonly controls: ControlRecord[] = [];
  loads = 0;

  implementation(): CustomerActivities {
    return {
      getDunningPolicy: async () => this.policy,
      getWorkflowSettings: async () => this.settings,
      loadCustomerState: async (customerId) => {
        this.loads += 1;
        return this.saved.get(customerId) ?? null;
      },
      projectState: async (input) => {
        this.projections.push(input);
        this.saved.set(input.customerId, input.state);
      },
      sendNotification: async (input) => {
        this.sendAttempts.push(input);
        if (this.sent.some((s) => s.key === input.key)) return { status: 'already_sent' };
        this.sent.push(input);
        return { status: 'sent' };
      },
      cancelSubscription: async (input) => {
        this.cancels.push(input);
        return { status: 'canceled', alreadyEnded: false };
      },
      retryInvoicePayment: async (input) => {
        this.retries.push(input);
        return {
          paid: this.retryPays,
          invoiceStatus: this.retryPays ? 'paid' : 'open',
        };
      },
      fetchSubscription: async (id) => {
        this.fetches.push(id);
        const snapshot = this.stripe.get(id);
        if (!snapshot) throw new Error(`test did not give Stripe's copy of ${id}`);
        return snapshot;
      },
      recordControl: async (record) => {
        this.controls.push(record);
      },
    };
  }

  sentKeys(): string[] {
    return this.sent.map((s) => s.key);
  }

  /** Event outcomes by event ID, from the projection calls. */
  outcomes(): Record<string, string> {
    return Object.fromEntries(
      this.projections.flatMap((p) => eventsOf(p).map((e) => [e.eventId, e.outcome])),
    );
  }

  lastView(): ProjectStateInput['view'] | undefined {
    return this.projections[this.projections.length - 1]?.view;
  }

  /**
   * Asserts that the latest projected view matches, waiting for it first: a query sees a change
   * as soon as it is applied, while its projection lands one activity later.
   */
  async expectView(expected: Record<string, unknown>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        expect(this.lastView()).toMatchObject(expected);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }
}
