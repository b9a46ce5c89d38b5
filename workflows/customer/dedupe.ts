/**
 * The window of applied event IDs that makes a redelivered Stripe event a no-op. Stripe retries a
 * delivery for up to 3 days; the window keeps IDs far longer, bounded in count so that the state
 * carried across continue-as-new stays small.
 */
import type { CustomerState } from './state';

/** Most event IDs remembered. */
export const DEDUPE_MAX_IDS = 2000;
/** Oldest remembered ID, in ms: 45 days, fifteen times Stripe's retry period. */
export const DEDUPE_MAX_AGE_MS = 45 * 86_400_000;

export function wasApplied(state: CustomerState, eventId: string): boolean {
  return state.appliedEvents.some(([id]) => id === eventId);
}

/** Remembers the event, bumps the watermark and the activity time, and trims the window. */
export function recordApplied(state: CustomerState, eventId: string, now: number): CustomerState {
  const window = [...state.appliedEvents, [eventId, now] as [string, number]].filter(
    ([, at]) => now - at <= DEDUPE_MAX_AGE_MS,
  );
  return {
    ...state,
    appliedEvents: window.slice(Math.max(0, window.length - DEDUPE_MAX_IDS)),
    seq: state.seq + 1,
    lastActivityAt: now,
  };
}
