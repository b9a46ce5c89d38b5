/**
 * Random valid lifecycles of one Stripe customer, for the property tests, and a deterministic
 * in-process driver of the pure rules (the same steps `CustomerRun.applyEvent` takes).
 *
 * A lifecycle is what Stripe would send, in `created` order: checkout, the subscription's
 * creation, renewals that pay or fail (with retries, recovery or the end of the subscription),
 * plan changes, cancel-at-period-end toggles, deletion and resubscription.
 *
 * Deliberate limits of the generator, each because the answer would otherwise depend on arrival
 * order by design rather than by a bug:
 * - `created` strictly increases. Same-second ties are settled by re-reading Stripe
 *   (`fetchSubscription`), whose answer is "the current state", which a generator cannot model
 *   without modelling Stripe; ordering.test.ts covers ties case by case.
 * - Every checkout of the customer names the same Citrus account (or none): an account link is
 *   last-writer-wins, and one Stripe customer belongs to one Citrus account.
 * - No billing-team controls (they are operator actions, not Stripe events).
 */
import fc from 'fast-check';
import type { DunningPolicy } from '../../../src/config';
import type { NormalizedEvent, SubscriptionStatus } from '../../../src/domain/stripe-events';
import { applyEvent, requirementsOf } from '../../../workflows/customer/apply-event';
import { recordApplied, wasApplied } from '../../../workflows/customer/dedupe';
import type { CustomerState } from '../../../workflows/customer/state';
import { checkoutEvent, invoiceEvent, subscriptionEvent, subscriptionSnapshot } from './events';

const DAY = 86_400_000;
export const TEST_POLICY: DunningPolicy = {
  remindersMs: [3 * DAY, 5 * DAY],
  graceMs: 7 * DAY,
  cancelMs: 14 * DAY,
};

export type Step =
  | 'renew_paid'
  | 'renew_failed_then_paid'
  | 'renew_failed_twice_then_paid'
  | 'renew_failed_unpaid'
  | 'renew_failed_canceled'
  | 'renew_failed_open'
  | 'plan_change'
  | 'cancel_at_period_end'
  | 'resume'
  | 'delete'
  | 'resubscribe';

export interface LifecyclePlan {
  start: 'active' | 'trialing' | 'incomplete';
  accountInCheckout: boolean;
  steps: Step[];
  /** Seconds between consecutive events; cycled. */
  gaps: number[];
}

export const lifecyclePlan: fc.Arbitrary<LifecyclePlan> = fc.record({
  start: fc.constantFrom('active', 'trialing', 'incomplete'),
  accountInCheckout: fc.boolean(),
  steps: fc.array(
    fc.constantFrom<Step>(
      'renew_paid',
      'renew_failed_then_paid',
      'renew_failed_twice_then_paid',
      'renew_failed_unpaid',
      'renew_failed_canceled',
      'renew_failed_open',
      'plan_change',
      'cancel_at_period_end',
      'resume',
      'delete',
      'resubscribe',
    ),
    { maxLength: 12 },
  ),
  gaps: fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 8 }),
});

/** Turns a plan into the events Stripe would send, in order; steps that do not fit are skipped. */
export function lifecycleEvents(plan: LifecyclePlan, customerId: string): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  let created = 1_700_000_000;
  let tick = 0;
  const next = (): number => {
    created += plan.gaps[tick++ % plan.gaps.length] as number;
    return created;
  };
  let subNumber = 0;
  let invoiceNumber = 0;
  type Sub = { id: string; status: SubscriptionStatus; price: string; cancelAtEnd: boolean };
  // Assigned inside the helpers below; the cast keeps TypeScript from narrowing it to null.
  let sub = null as Sub | null;
  let periodEnd = 1_800_000_000;
  const snapshot = () => {
    const s = sub as Sub;
    return subscriptionSnapshot(s.id, s.status, {
      priceId: s.price,
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd: s.cancelAtEnd,
    });
  };
  const update = (status: SubscriptionStatus, changes: Partial<Sub> = {}) => {
    const s = sub as Sub;
    const previousStatus = status === s.status ? null : s.status;
    sub = { ...s, ...changes, status };
    events.push(
      subscriptionEvent('customer.subscription.updated', snapshot(), {
        created: next(),
        customerId,
        previousStatus,
      }),
    );
  };
  const invoice = (
    type: 'invoice.payment_succeeded' | 'invoice.payment_failed',
    id: string,
    attempt = 1,
  ) =>
    events.push(
      invoiceEvent(
        type,
        { id, subscriptionId: (sub as Sub).id, attemptCount: attempt },
        {
          created: next(),
          customerId,
        },
      ),
    );
  const subscribe = (status: SubscriptionStatus) => {
    subNumber += 1;
    sub = {
      id: `sub_${customerId}_${subNumber}`,
      status,
      price: 'price_basic',
      cancelAtEnd: false,
    };
    events.push(
      checkoutEvent('subscription', sub.id, plan.accountInCheckout ? `acct_${customerId}` : null, {
        created: next(),
        customerId,
      }),
    );
    events.push(
      subscriptionEvent('customer.subscription.created', snapshot(), {
        created: next(),
        customerId,
      }),
    );
    if (status === 'incomplete') {
      invoice('invoice.payment_succeeded', `in_${customerId}_${++invoiceNumber}`);
      update('active');
    }
  };
  const remove = () => {
    sub = { ...(sub as Sub), status: 'canceled' };
    events.push(
      subscriptionEvent('customer.subscription.deleted', snapshot(), {
        created: next(),
        customerId,
      }),
    );
    sub = null;
  };

  subscribe(plan.start);
  for (const step of plan.steps) {
    if (step === 'resubscribe') {
      if (sub === null) subscribe('active');
      continue;
    }
    if (sub === null) continue;
    const live = sub.status === 'active' || sub.status === 'trialing';
    const id = `in_${customerId}_${invoiceNumber + 1}`;
    switch (step) {
      case 'renew_paid':
        if (!live) break;
        invoiceNumber += 1;
        periodEnd += 30 * 86_400;
        invoice('invoice.payment_succeeded', id);
        update('active');
        break;
      case 'renew_failed_then_paid':
      case 'renew_failed_twice_then_paid':
        if (!live) break;
        invoiceNumber += 1;
        invoice('invoice.payment_failed', id, 1);
        update('past_due');
        if (step === 'renew_failed_twice_then_paid') invoice('invoice.payment_failed', id, 2);
        periodEnd += 30 * 86_400;
        invoice('invoice.payment_succeeded', id);
        update('active');
        break;
      case 'renew_failed_unpaid':
      case 'renew_failed_canceled':
      case 'renew_failed_open':
        if (!live) break;
        invoiceNumber += 1;
        invoice('invoice.payment_failed', id, 1);
        update('past_due');
        invoice('invoice.payment_failed', id, 2);
        if (step === 'renew_failed_unpaid') update('unpaid');
        if (step === 'renew_failed_canceled') remove();
        break;
      case 'plan_change':
        if (!live) break;
        update(sub.status, { price: sub.price === 'price_basic' ? 'price_pro' : 'price_basic' });
        break;
      case 'cancel_at_period_end':
      case 'resume':
        if (!live) break;
        update(sub.status, { cancelAtEnd: step === 'cancel_at_period_end' });
        break;
      case 'delete':
        remove();
        break;
    }
  }
  return events;
}

/** A delivery of the events: shuffled, with some delivered again at random places. */
export function shuffledWithDuplicates<T>(events: T[]): fc.Arbitrary<T[]> {
  return fc
    .tuple(
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      fc.array(fc.tuple(fc.nat(events.length - 1), fc.nat(events.length)), {
        maxLength: Math.max(1, events.length),
      }),
    )
    .map(([shuffled, duplicates]) => {
      const delivery = [...shuffled];
      for (const [which, at] of duplicates) delivery.splice(at, 0, events[which] as T);
      return delivery;
    });
}

/**
 * Delivers one event to the pure rules as `CustomerRun.applyEvent` does: dedupe, requirements,
 * reducer, record. A tie that needs Stripe's copy fails loudly: the generator never makes one.
 */
export function deliver(state: CustomerState, event: NormalizedEvent, now: number): CustomerState {
  if (wasApplied(state, event.id)) return state;
  const needs = requirementsOf(state, event);
  if (needs.fetchSubscriptionId !== null) {
    throw new Error(`event ${event.id} needs Stripe's copy of ${needs.fetchSubscriptionId}`);
  }
  const result = applyEvent(state, event, {
    now,
    policy: needs.policy ? TEST_POLICY : undefined,
  });
  return recordApplied(result.state, event.id, now);
}
