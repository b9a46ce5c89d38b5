/**
 * How Citrus Host access follows from a subscription's status and its dunning case.
 * Pure and workflow-safe.
 */
import type { Access, DunningStage } from './customer-view';
import type { SubscriptionStatus } from './stripe-events';

/** Statuses after which a subscription never becomes live again. */
export const ENDED_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'incomplete_expired'];

export function isEnded(status: SubscriptionStatus): boolean {
  return ENDED_STATUSES.includes(status);
}

export interface AccessInputs {
  status: SubscriptionStatus | 'none';
  /** Stage of the open dunning case of this subscription, or null when none is open. */
  openDunningStage: DunningStage | null;
  /** True when the billing team waived the latest case: a past_due subscription keeps access. */
  waived: boolean;
}

/**
 * Status first: an ended or unpaid subscription has no access whatever dunning says, and a paused
 * one is suspended. Otherwise an open dunning case decides (grace until the suspension step, then
 * suspended), because Stripe can still report `active` in the hours before it moves to past_due.
 */
export function deriveAccess({ status, openDunningStage, waived }: AccessInputs): Access {
  switch (status) {
    case 'none':
    case 'canceled':
    case 'unpaid':
    case 'incomplete_expired':
    case 'incomplete':
      return 'none';
    case 'paused':
      return 'suspended';
    default:
      break;
  }
  if (openDunningStage !== null) {
    if (openDunningStage === 'suspended') return 'suspended';
    if (openDunningStage === 'canceled') return 'none';
    return 'grace';
  }
  if (status === 'past_due') return waived ? 'active' : 'grace';
  return 'active';
}
