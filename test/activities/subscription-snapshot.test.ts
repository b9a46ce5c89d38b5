import {
  toSubscriptionSnapshot,
  UnexpectedSubscriptionError,
} from '../../src/stripe/subscription-snapshot';

describe('toSubscriptionSnapshot', () => {
  it('reads the period end from the items in newer API versions, taking the earliest', () => {
    const snapshot = toSubscriptionSnapshot({
      id: 'sub_New',
      status: 'active',
      cancel_at_period_end: true,
      canceled_at: null,
      items: {
        data: [
          {
            current_period_end: 1_900_000_500,
            price: { id: 'price_b', product: { id: 'prod_b' }, recurring: { interval: 'year' } },
          },
          {
            current_period_end: 1_900_000_000,
            price: { id: 'price_c', product: 'prod_c', recurring: null },
          },
        ],
      },
    });

    expect(snapshot).toEqual({
      id: 'sub_New',
      status: 'active',
      priceId: 'price_b',
      productId: 'prod_b',
      planInterval: 'year',
      currentPeriodEnd: 1_900_000_000,
      cancelAtPeriodEnd: true,
      canceledAt: null,
    });
  });

  it('reads the top-level period end in older API versions', () => {
    const snapshot = toSubscriptionSnapshot({
      id: 'sub_Old',
      status: 'past_due',
      current_period_end: 1_800_000_000,
      items: {
        data: [{ price: { id: 'price_a', product: 'prod_a', recurring: { interval: 'month' } } }],
      },
    });

    expect(snapshot).toMatchObject({
      currentPeriodEnd: 1_800_000_000,
      productId: 'prod_a',
      planInterval: 'month',
      cancelAtPeriodEnd: false,
    });
  });

  it('refuses a status outside Stripe eight, pointing at the pinned API version', () => {
    expect(() => toSubscriptionSnapshot({ id: 'sub_X', status: 'frozen' })).toThrow(
      UnexpectedSubscriptionError,
    );
    expect(() => toSubscriptionSnapshot({ id: 'sub_X', status: 'frozen' })).toThrow(/api-version/);
  });
});
