/**
 * The recorded scenarios. Each drives one new customer through the real webhook (and, for the
 * billing team, a Temporal Update) and returns once the workflow is at rest in its end state.
 * The file name of a history is `<scenario>.<code version>.json`.
 */
import type { SubscriptionStatus } from '../../src/domain/stripe-events';
import { extendGraceUpdate, waiveDunningUpdate } from '../../workflows/definitions';
import type { CustomerState, DunningCase } from '../../workflows/customer/state';
import type { CustomerDriver } from './driver';

export interface Scenario {
  name: string;
  description: string;
  /** Settings the worker needs for this scenario; such scenarios run last, on a restarted worker. */
  workerEnv?: Record<string, string>;
  play(customer: CustomerDriver): Promise<void>;
}

function subscribe(customer: CustomerDriver) {
  return [
    customer.event('checkout.session.completed'),
    customer.event('customer.subscription.created', { status: 'incomplete' }),
    customer.event('invoice.payment_succeeded'),
    update(customer, 'active', 'incomplete'),
  ];
}

function update(
  customer: CustomerDriver,
  status: SubscriptionStatus,
  previous: SubscriptionStatus,
) {
  return customer.event('customer.subscription.updated', {
    status,
    previousAttributes: { status: previous },
  });
}

function renewalFails(customer: CustomerDriver) {
  return [
    customer.event('invoice.payment_failed', { attemptCount: 1, invoice: 'renewal' }),
    update(customer, 'past_due', 'active'),
  ];
}

function renewalCase(customer: CustomerDriver, state: CustomerState): DunningCase | undefined {
  return state.dunning[customer.ids.renewalInvoice];
}

function stepDone(dunning: DunningCase | undefined, step: string): boolean {
  return dunning?.steps.some((s) => s.name === step && s.doneAt !== null) ?? false;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'happy-path',
    description: 'checkout, subscription created, first invoice paid, subscription active',
    async play(customer) {
      const events = subscribe(customer);
      await customer.postAll(events);
      await customer.applied(events);
    },
  },
  {
    name: 'duplicates',
    description: 'every event delivered three times in a row, then two of them again later',
    async play(customer) {
      const events = subscribe(customer);
      for (const event of events) {
        for (let copy = 0; copy < 3; copy++) await customer.post(event);
      }
      await customer.applied(events);
      const late = [events[0], events[2]].filter((event) => event !== undefined);
      await customer.postAll(late);
      await customer.signalsReceived(events.length * 3 + late.length);
    },
  },
  {
    name: 'out-of-order',
    description: 'the subscription lifecycle delivered newest first; older events are stale',
    async play(customer) {
      const events = subscribe(customer);
      await customer.postAll([...events].reverse());
      await customer.applied(events);
    },
  },
  {
    name: 'dunning-recovered',
    description: 'renewal fails, the first reminder goes out, then the invoice is paid',
    async play(customer) {
      const start = subscribe(customer);
      await customer.postAll(start);
      await customer.applied(start);
      const failure = renewalFails(customer);
      await customer.postAll(failure);
      await customer.until('first reminder sent', (state) =>
        stepDone(renewalCase(customer, state), 'reminder-1'),
      );
      const paid = [
        customer.event('invoice.payment_succeeded', { attemptCount: 2, invoice: 'renewal' }),
        update(customer, 'active', 'past_due'),
      ];
      await customer.postAll(paid);
      await customer.applied(paid);
      await customer.until(
        'case recovered',
        (state) => renewalCase(customer, state)?.outcome === 'recovered',
      );
    },
  },
  {
    name: 'dunning-canceled',
    description: 'renewal fails and is never paid: reminders, suspension, cancellation in Stripe',
    async play(customer) {
      const start = [...subscribe(customer), ...renewalFails(customer)];
      await customer.postAll(start);
      await customer.until(
        'case canceled',
        (state) => renewalCase(customer, state)?.outcome === 'canceled',
      );
      // Stripe answers the cancellation with the deletion event.
      const deleted = customer.event('customer.subscription.deleted', {
        status: 'canceled',
        previousAttributes: { status: 'past_due' },
      });
      await customer.post(deleted);
      await customer.applied([deleted]);
    },
  },
  {
    name: 'billing-update',
    description: 'renewal fails; the billing team extends the grace, then waives the dunning',
    async play(customer) {
      const start = [...subscribe(customer), ...renewalFails(customer)];
      await customer.postAll(start);
      await customer.until('notice sent', (state) =>
        stepDone(renewalCase(customer, state), 'notice'),
      );
      const operator = 'histories-recorder';
      await customer.handle().executeUpdate(extendGraceUpdate, {
        args: [{ by: '5 seconds', reason: 'customer called support', operator }],
      });
      await customer.handle().executeUpdate(waiveDunningUpdate, {
        args: [{ reason: 'goodwill after an outage', operator }],
      });
      await customer.until(
        'case waived',
        (state) => renewalCase(customer, state)?.outcome === 'waived',
      );
    },
  },
  {
    name: 'continue-as-new',
    description: 'a run that applies three events continues as new; the second run applies more',
    workerEnv: { WORKFLOW_MAX_EVENTS_PER_RUN: '3' },
    async play(customer) {
      const events = [
        ...subscribe(customer),
        customer.event('customer.subscription.updated', {
          status: 'active',
          previousAttributes: { cancel_at_period_end: true },
        }),
      ];
      await customer.postAll(events);
      await customer.applied(events);
      await customer.until('second run started', () => true, { continuedAsNew: true });
      // Applied by the second run, from the state the first run carried over.
      const later = update(customer, 'past_due', 'active');
      await customer.post(later);
      await customer.applied([later]);
    },
  },
  {
    name: 'burst-over-bound',
    description: 'eight events arrive at once, three per run: the queue is carried across runs',
    workerEnv: { WORKFLOW_MAX_EVENTS_PER_RUN: '3' },
    async play(customer) {
      const events = [
        ...subscribe(customer),
        update(customer, 'past_due', 'active'),
        update(customer, 'active', 'past_due'),
        customer.event('invoice.payment_succeeded', { invoice: 'renewal' }),
        update(customer, 'active', 'active'),
      ];
      await Promise.all(events.map((event) => customer.post(event)));
      await customer.applied(events);
    },
  },
];
