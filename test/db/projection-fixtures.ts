/** Builders of projection inputs, shaped as the customer workflow sends them. */
import type { ProjectStateInput } from '../../activities/contract';
import type { CustomerView } from '../../src/domain/customer-view';
import type { DunningCase, SubscriptionState } from '../../workflows/customer/state';

export const T0 = Date.parse('2027-03-01T10:00:00.000Z');

export function subscriptionState(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    id: 'sub_A1',
    status: 'active',
    priceId: 'price_basic',
    productId: 'prod_hosting',
    planInterval: 'month',
    currentPeriodEnd: Math.floor(T0 / 1000) + 30 * 86_400,
    cancelAtPeriodEnd: false,
    lastEventId: 'evt_1',
    lastEventType: 'customer.subscription.created',
    lastEventCreated: Math.floor(T0 / 1000),
    firstSeenAt: T0,
    ...overrides,
  };
}

export function dunningCase(overrides: Partial<DunningCase> = {}): DunningCase {
  return {
    invoiceId: 'in_F1',
    subscriptionId: 'sub_A1',
    hostedInvoiceUrl: 'https://invoice.example/in_F1',
    amountDue: 2500,
    currency: 'usd',
    attempt: 1,
    nextPaymentAttempt: null,
    startedAt: T0,
    failedEventCreated: Math.floor(T0 / 1000),
    stage: 'payment_failed',
    steps: [
      { name: 'notice', dueAt: T0, doneAt: T0 },
      { name: 'reminder-1', dueAt: T0 + 3 * 86_400_000, doneAt: null },
      { name: 'suspend', dueAt: T0 + 7 * 86_400_000, doneAt: null },
      { name: 'cancel', dueAt: T0 + 14 * 86_400_000, doneAt: null },
    ],
    graceExtensionMs: 0,
    outcome: 'open',
    closedAt: null,
    ...overrides,
  };
}

interface InputOptions {
  customerId?: string;
  seq: number;
  status?: CustomerView['status'];
  access?: CustomerView['access'];
  subscriptions?: SubscriptionState[];
  dunningCases?: DunningCase[];
  event?: ProjectStateInput['event'] | null;
  at?: number;
}

/** A projection input whose view, state and subscriptions agree with each other. */
export function projectionInput(options: InputOptions): ProjectStateInput {
  const customerId = options.customerId ?? 'cus_P1';
  const subscriptions = options.subscriptions ?? [subscriptionState()];
  const dunningCases = options.dunningCases ?? [];
  const current = subscriptions[0];
  const openCase = dunningCases.find((c) => c.outcome === 'open');
  const at = options.at ?? T0 + options.seq * 1000;
  return {
    customerId,
    seq: options.seq,
    at,
    view: {
      customerId,
      accountId: 'acct_citrus_42',
      subscriptionId: current?.id ?? null,
      status: options.status ?? current?.status ?? 'none',
      access: options.access ?? 'active',
      currentPeriodEnd:
        current?.currentPeriodEnd != null
          ? new Date(current.currentPeriodEnd * 1000).toISOString()
          : null,
      cancelAtPeriodEnd: current?.cancelAtPeriodEnd ?? false,
      dunning: openCase
        ? {
            invoiceId: openCase.invoiceId,
            stage: openCase.stage,
            attempt: openCase.attempt,
            startedAt: new Date(openCase.startedAt).toISOString(),
            nextActionAt: new Date(T0 + 3 * 86_400_000).toISOString(),
          }
        : null,
    },
    state: {
      customerId,
      accountId: 'acct_citrus_42',
      subscriptions: Object.fromEntries(subscriptions.map((s) => [s.id, s])),
      paidInvoices: [],
      dunning: Object.fromEntries(dunningCases.map((c) => [c.invoiceId, c])),
      appliedEvents: [[`evt_${customerId.slice(4)}_${options.seq}`, at]],
      seq: options.seq,
      lastActivityAt: at,
    },
    subscriptions,
    dunningCases,
    event:
      options.event === null
        ? undefined
        : (options.event ?? {
            eventId: `evt_${customerId.slice(4)}_${options.seq}`,
            type: 'customer.subscription.updated',
            created: Math.floor(T0 / 1000) + options.seq,
            outcome: 'applied',
          }),
  };
}
