/**
 * Whole lifecycles of one customer, in the order Stripe sends them. Each step builds its event
 * when it is sent, so `created` grows with the real clock and never goes backwards.
 */
import type { HandledEventType, SubscriptionStatus } from '../../src/domain/stripe-events';
import type { BuildOptions } from './catalog';

export interface ScenarioStep {
  type: HandledEventType;
  options?: Pick<BuildOptions, 'status' | 'previousAttributes' | 'attemptCount' | 'invoice'>;
  /**
   * Stripe sends this event only after the workflow acted (it canceled the subscription at the end
   * of dunning), so the CLI waits for DUNNING_CANCEL before sending it.
   */
  afterDunningCancel?: boolean;
}

export interface Scenario {
  description: string;
  steps: ScenarioStep[];
}

function update(status: SubscriptionStatus, previous: SubscriptionStatus): ScenarioStep {
  return {
    type: 'customer.subscription.updated',
    options: { status, previousAttributes: { status: previous } },
  };
}

const SUBSCRIBE: ScenarioStep[] = [
  { type: 'checkout.session.completed' },
  { type: 'customer.subscription.created', options: { status: 'incomplete' } },
  { type: 'invoice.payment_succeeded' },
  update('active', 'incomplete'),
];

/** The next period's invoice fails; the first one was paid and stays paid. */
const PAYMENT_FAILS: ScenarioStep[] = [
  { type: 'invoice.payment_failed', options: { attemptCount: 1, invoice: 'renewal' } },
  update('past_due', 'active'),
];

export const SCENARIOS = {
  'new-subscriber': {
    description: 'checkout, subscription created (incomplete), first invoice paid, active',
    steps: SUBSCRIBE,
  },
  'payment-recovered': {
    description: 'a new subscriber whose renewal fails (past_due), then is paid (active again)',
    steps: [
      ...SUBSCRIBE,
      ...PAYMENT_FAILS,
      { type: 'invoice.payment_succeeded', options: { attemptCount: 2, invoice: 'renewal' } },
      update('active', 'past_due'),
    ],
  },
  'payment-failed-canceled': {
    description:
      'a new subscriber whose renewal fails and is never paid: dunning cancels the subscription',
    steps: [
      ...SUBSCRIBE,
      ...PAYMENT_FAILS,
      {
        type: 'customer.subscription.deleted',
        options: { status: 'canceled', previousAttributes: { status: 'past_due' } },
        afterDunningCancel: true,
      },
    ],
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
