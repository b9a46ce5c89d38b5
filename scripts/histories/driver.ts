/**
 * What a recording scenario can do against the running stack: post signed events to the webhook,
 * run a billing-team Update, and wait until the customer's workflow reaches a state and has
 * finished its work (no workflow task or activity in flight), so the history ends at a rest point.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { StripeEventFixture } from '../../src/dev/stripe-event-builders';
import { nowSeconds, stripeId } from '../../src/dev/stripe-event-builders';
import type { HandledEventType } from '../../src/domain/stripe-events';
import { customerStateQuery, customerWorkflowId } from '../../workflows/definitions';
import type { CustomerState } from '../../workflows/customer/state';
import { wasApplied } from '../../workflows/customer/dedupe';
import { buildEvent, type BuildOptions, type CustomerIds } from '../stripe-send/catalog';
import { postEvent } from '../stripe-send/run';

const EventType = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;

/** Longest wait for one state; the slowest scenario (cancellation) needs about 12 s. */
const WAIT_LIMIT_MS = 60_000;

export class ScenarioTimeoutError extends Error {
  constructor(workflowId: string, what: string, logDir: string) {
    super(
      `${workflowId} did not reach "${what}" within ${WAIT_LIMIT_MS / 1000} s; ` +
        `read the worker and API logs in ${logDir}.`,
    );
    this.name = 'ScenarioTimeoutError';
  }
}

export class DeliveryRejectedError extends Error {
  constructor(eventId: string, status: number) {
    super(`The webhook answered ${status} to ${eventId}; read the API log of the recording stack.`);
    this.name = 'DeliveryRejectedError';
  }
}

export interface DriverOptions {
  client: Client;
  webhookUrl: string;
  webhookSecret: string;
  logDir: string;
}

/** One customer of one scenario: its Stripe IDs and the events built for it so far. */
export class CustomerDriver {
  readonly ids: CustomerIds = {
    customer: stripeId('cus'),
    subscription: stripeId('sub'),
    invoice: stripeId('in'),
    renewalInvoice: stripeId('in'),
  };
  readonly workflowId = customerWorkflowId(this.ids.customer);
  private lastCreated = nowSeconds() - 60;

  constructor(private readonly options: DriverOptions) {}

  /** Builds an event whose Stripe `created` is one second after the previous one built. */
  event(type: HandledEventType, options: Omit<BuildOptions, 'shape' | 'created'> = {}) {
    this.lastCreated += 1;
    return buildEvent(type, this.ids, { ...options, shape: 'current', created: this.lastCreated });
  }

  async post(event: StripeEventFixture): Promise<void> {
    const delivery = await postEvent(this.options.webhookUrl, this.options.webhookSecret, event);
    if (delivery.status < 200 || delivery.status > 299) {
      throw new DeliveryRejectedError(event.id, delivery.status);
    }
  }

  async postAll(events: StripeEventFixture[]): Promise<void> {
    for (const event of events) await this.post(event);
  }

  handle() {
    return this.options.client.workflow.getHandle(this.workflowId);
  }

  state(): Promise<CustomerState> {
    return this.handle().query(customerStateQuery);
  }

  /** Waits until every event was applied (or found stale) and the workflow is at rest. */
  async applied(events: StripeEventFixture[]): Promise<CustomerState> {
    return this.until(`applied ${events.length} events`, (state) =>
      events.every((event) => wasApplied(state, event.id)),
    );
  }

  /** Waits until the state satisfies `check` and the latest run has nothing in flight. */
  async until(
    what: string,
    check: (state: CustomerState) => boolean,
    options: { continuedAsNew?: boolean } = {},
  ): Promise<CustomerState> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const state = await this.state().catch(() => undefined);
      if (state && check(state) && (await this.latestRunAtRest(options.continuedAsNew ?? false)))
        return state;
      if (Date.now() > deadline) {
        throw new ScenarioTimeoutError(this.workflowId, what, this.options.logDir);
      }
      await sleep(250);
    }
  }

  /** The latest run is at rest (and, when asked, was started by a continue-as-new). */
  private async latestRunAtRest(continuedAsNew: boolean): Promise<boolean> {
    const history = await this.handle().fetchHistory();
    if (!atRest(history)) return false;
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    return !continuedAsNew || Boolean(started?.continuedExecutionRunId);
  }

  /** Waits until the latest run's history holds `count` signals and it is at rest. */
  async signalsReceived(count: number): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const history = await this.handle().fetchHistory();
      const signals = (history.events ?? []).filter(
        (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
      ).length;
      if (signals >= count && atRest(history)) return;
      if (Date.now() > deadline) {
        throw new ScenarioTimeoutError(this.workflowId, `${count} signals`, this.options.logDir);
      }
      await sleep(250);
    }
  }
}

/**
 * A history at rest: its last workflow task completed and every activity it scheduled has
 * finished. A history cut in the middle of a task still replays, but one at rest reads better.
 */
export function atRest(history: History): boolean {
  const events = history.events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) =>
    events.filter((e) => e.eventType === type).length;
  const scheduled = count(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const finished =
    count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) +
    count(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) +
    count(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  const activities = count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  const activitiesDone =
    count(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) +
    count(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED) +
    count(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
  return scheduled === finished && activities === activitiesDone;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
