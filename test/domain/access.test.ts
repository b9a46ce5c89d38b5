import { deriveAccess } from '../../src/domain/access';

describe('deriveAccess', () => {
  it.each([
    ['active', 'active'],
    ['trialing', 'active'],
    ['past_due', 'grace'],
    ['paused', 'suspended'],
    ['unpaid', 'none'],
    ['canceled', 'none'],
    ['incomplete_expired', 'none'],
    ['incomplete', 'none'],
    ['none', 'none'],
  ] as const)('gives %s subscriptions %s access when no dunning is open', (status, access) => {
    expect(deriveAccess({ status, openDunningStage: null, waived: false })).toBe(access);
  });

  it('gives grace while a dunning case is open before suspension, even if Stripe still says active', () => {
    expect(deriveAccess({ status: 'active', openDunningStage: 'reminded', waived: false })).toBe(
      'grace',
    );
  });

  it('suspends once the dunning case reached suspension', () => {
    expect(deriveAccess({ status: 'past_due', openDunningStage: 'suspended', waived: false })).toBe(
      'suspended',
    );
  });

  it('keeps a past_due customer active after the billing team waived dunning', () => {
    expect(deriveAccess({ status: 'past_due', openDunningStage: null, waived: true })).toBe(
      'active',
    );
  });

  it('never gives access to a canceled subscription, whatever dunning says', () => {
    expect(
      deriveAccess({ status: 'canceled', openDunningStage: 'payment_failed', waived: false }),
    ).toBe('none');
  });
});
