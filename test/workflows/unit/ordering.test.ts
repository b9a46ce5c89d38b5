import { decideSubscriptionEvent } from '../../../workflows/customer/ordering';
import type { SubscriptionState } from '../../../workflows/customer/state';
import { subscriptionEvent, subscriptionSnapshot } from '../support/events';

function applied(overrides: Partial<SubscriptionState>): SubscriptionState {
  return {
    id: 'sub_1',
    status: 'active',
    priceId: 'price_basic',
    productId: 'prod_hosting',
    planInterval: 'month',
    currentPeriodEnd: 1_900_000_000,
    cancelAtPeriodEnd: false,
    lastEventId: 'evt_applied',
    lastEventType: 'customer.subscription.updated',
    lastEventCreated: 100,
    firstSeenAt: 0,
    lastPreviousStatus: null,
    ...overrides,
  };
}

const updated = (
  status: Parameters<typeof subscriptionSnapshot>[1],
  created: number,
  previousStatus: Parameters<typeof subscriptionEvent>[2]['previousStatus'] = null,
) =>
  subscriptionEvent('customer.subscription.updated', subscriptionSnapshot('sub_1', status), {
    created,
    previousStatus,
  });

describe('decideSubscriptionEvent', () => {
  it('applies the first event of a subscription', () => {
    expect(decideSubscriptionEvent(undefined, updated('active', 1))).toBe('apply');
  });

  it('applies over a placeholder recorded from checkout', () => {
    expect(
      decideSubscriptionEvent(
        applied({ lastEventId: null, lastEventCreated: 0 }),
        updated('active', 1),
      ),
    ).toBe('apply');
  });

  it('applies a later event and calls an earlier one stale', () => {
    expect(decideSubscriptionEvent(applied({}), updated('past_due', 101))).toBe('apply');
    expect(decideSubscriptionEvent(applied({}), updated('past_due', 99))).toBe('stale');
  });

  it('never revives a canceled subscription, even with a later event', () => {
    expect(decideSubscriptionEvent(applied({ status: 'canceled' }), updated('active', 500))).toBe(
      'stale',
    );
  });

  it('lets deleted win over an earlier-stamped state that is not canceled yet', () => {
    const deleted = subscriptionEvent(
      'customer.subscription.deleted',
      subscriptionSnapshot('sub_1', 'canceled'),
      { created: 10 },
    );
    expect(decideSubscriptionEvent(applied({}), deleted)).toBe('apply');
  });

  describe('on a same-second tie', () => {
    it('lets updated win over created', () => {
      const created = subscriptionEvent(
        'customer.subscription.created',
        subscriptionSnapshot('sub_1', 'incomplete'),
        { created: 100 },
      );
      expect(decideSubscriptionEvent(applied({}), created)).toBe('stale');
      expect(
        decideSubscriptionEvent(
          applied({ lastEventType: 'customer.subscription.created', status: 'incomplete' }),
          updated('active', 100, 'incomplete'),
        ),
      ).toBe('apply');
    });

    it('applies the update whose previous status is the applied status', () => {
      expect(
        decideSubscriptionEvent(
          applied({ status: 'past_due' }),
          updated('unpaid', 100, 'past_due'),
        ),
      ).toBe('apply');
    });

    it('calls stale the event whose status the applied update came from', () => {
      expect(
        decideSubscriptionEvent(
          applied({ status: 'unpaid', lastPreviousStatus: 'past_due' }),
          updated('past_due', 100, 'active'),
        ),
      ).toBe('stale');
    });

    it('calls stale an event that would change nothing', () => {
      expect(decideSubscriptionEvent(applied({}), updated('active', 100))).toBe('stale');
    });

    it('asks Stripe when the events cannot decide', () => {
      const other = subscriptionEvent(
        'customer.subscription.updated',
        subscriptionSnapshot('sub_1', 'active', { priceId: 'price_pro' }),
        { created: 100 },
      );
      expect(decideSubscriptionEvent(applied({}), other)).toBe('ask_stripe');
    });
  });
});
