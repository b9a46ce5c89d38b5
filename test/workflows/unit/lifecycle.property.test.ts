/**
 * Property: whatever order Stripe delivers a customer's events in, and however often, the pure
 * rules end in the same CustomerView as one delivery in order. Runs in-process with a
 * deterministic clock; lifecycle.property.test.ts next to the workflow tests drives a few of the
 * same lifecycles through the real workflow.
 */
import fc from 'fast-check';
import type { CustomerView } from '../../../src/domain/customer-view';
import type { NormalizedEvent } from '../../../src/domain/stripe-events';
import { emptyCustomerState, type CustomerState } from '../../../workflows/customer/state';
import { toCustomerView } from '../../../workflows/customer/view';
import {
  deliver,
  lifecycleEvents,
  lifecyclePlan,
  shuffledWithDuplicates,
} from '../support/lifecycle';

const CUSTOMER = 'cus_Prop1';
const NOW = Date.UTC(2026, 0, 1);

function finalState(events: NormalizedEvent[], clock: (i: number) => number): CustomerState {
  return events.reduce(
    (state, event, i) => deliver(state, event, clock(i)),
    emptyCustomerState(CUSTOMER, clock(0)),
  );
}

/**
 * Dunning timers start when the first failure *arrives* (workflow time), so with a moving clock
 * their dates depend on arrival order by design; everything else must not.
 */
function withoutDunningTimes(view: CustomerView): unknown {
  return {
    ...view,
    dunning: view.dunning && { ...view.dunning, startedAt: 'arrival', nextActionAt: 'arrival' },
  };
}

const lifecycleAndDelivery = lifecyclePlan.chain((plan) => {
  const events = lifecycleEvents(plan, CUSTOMER);
  return fc.tuple(fc.constant(events), shuffledWithDuplicates(events));
});

describe('the customer rules under any delivery order', () => {
  it('end in the same view when every event arrives at the same workflow time', () => {
    fc.assert(
      fc.property(lifecycleAndDelivery, ([inOrder, delivery]) => {
        const expected = toCustomerView(finalState(inOrder, () => NOW));
        expect(toCustomerView(finalState(delivery, () => NOW))).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('end in the same view, dunning dates aside, when each arrival moves the clock on', () => {
    fc.assert(
      fc.property(lifecycleAndDelivery, ([inOrder, delivery]) => {
        const clock = (i: number) => NOW + i * 60_000;
        const expected = withoutDunningTimes(toCustomerView(finalState(inOrder, clock)));
        expect(withoutDunningTimes(toCustomerView(finalState(delivery, clock)))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('apply each event ID once however often it is delivered', () => {
    fc.assert(
      fc.property(lifecycleAndDelivery, ([inOrder, delivery]) => {
        const state = finalState(delivery, () => NOW);
        const ids = state.appliedEvents.map(([id]) => id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(inOrder.map((e) => e.id).sort());
        expect(state.seq).toBe(inOrder.length);
      }),
      { numRuns: 300 },
    );
  });

  it('generates lifecycles that reach dunning, deletion and resubscription', () => {
    // Guards the generator itself: a property over trivial lifecycles proves nothing.
    const samples = fc.sample(lifecyclePlan, { numRuns: 300, seed: 7 });
    const views = samples.map((plan) =>
      toCustomerView(finalState(lifecycleEvents(plan, CUSTOMER), () => NOW)),
    );
    const types = new Set(samples.flatMap((p) => lifecycleEvents(p, CUSTOMER).map((e) => e.type)));
    expect(types.size).toBe(6);
    expect(views.some((v) => v.dunning !== null)).toBe(true);
    expect(views.some((v) => v.status === 'canceled')).toBe(true);
    expect(views.some((v) => v.subscriptionId?.endsWith('_2'))).toBe(true);
    expect(new Set(views.map((v) => v.access))).toEqual(new Set(['active', 'grace', 'none']));
  });
});
