/**
 * Feeds one page of listed Stripe events through the webhook's own path: the same normalizer
 * (with source 'reconciliation') and the same signal-with-start. The page is delivered oldest
 * first, so a customer workflow mostly sees its events in the order Stripe created them.
 */
import type Stripe from 'stripe';
import type { EventSignaler } from '../../src/ingest/signal';
import { InvalidEventError, MalformedCustomerIdError } from '../../src/ingest/errors';
import { normalizeStripeEvent } from '../../src/ingest/normalize';
import type { Logger } from '../../src/logging/logger';
import type { ReconcileWindow } from '../../workflows/reconcile/definitions';

export interface PageCounts {
  listed: number;
  signaled: number;
  missedByWebhook: number;
  ignored: number;
  invalid: number;
}

export async function deliverPage(
  events: readonly Stripe.Event[],
  window: ReconcileWindow,
  deps: { signaler: EventSignaler; logger: Logger },
): Promise<PageCounts> {
  const counts: PageCounts = {
    listed: events.length,
    signaled: 0,
    missedByWebhook: 0,
    ignored: 0,
    invalid: 0,
  };
  for (const raw of [...events].reverse()) {
    const result = normalizeOrSkip(raw, deps.logger);
    if (result === 'invalid') {
      counts.invalid += 1;
      continue;
    }
    if (result.kind === 'ignored') {
      counts.ignored += 1;
      continue;
    }
    // A failure here throws: the activity is retried from this page's cursor, and the events
    // signaled before it are signaled again, which the customer workflow's dedupe absorbs.
    await deps.signaler.signal(result.event);
    counts.signaled += 1;
    // Stripe counts endpoints that have not acknowledged the event yet. Events inside the overlap
    // were counted by the window that first covered them.
    if (raw.pending_webhooks > 0 && raw.created > window.countMissedAfter) {
      counts.missedByWebhook += 1;
      deps.logger.info(
        {
          eventId: raw.id,
          type: raw.type,
          customerId: result.event.customerId,
        },
        'reconciliation recovered an event the webhook missed',
      );
    }
  }
  return counts;
}

function normalizeOrSkip(raw: Stripe.Event, logger: Logger) {
  try {
    return normalizeStripeEvent(raw, 'reconciliation');
  } catch (err) {
    if (err instanceof InvalidEventError || err instanceof MalformedCustomerIdError) {
      // A payload the webhook would answer 400 to: retrying cannot fix it, so it is skipped.
      logger.warn(
        {
          eventId: raw.id,
          type: raw.type,
          problems: err instanceof InvalidEventError ? err.problems : ['customer'],
        },
        'reconciliation skipped an event it cannot normalize',
      );
      return 'invalid' as const;
    }
    throw err;
  }
}
