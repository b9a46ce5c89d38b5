/**
 * The activities that act in Stripe. Mutating calls carry the workflow's idempotency key, so a
 * retried activity (or the client's own network retry) can never cancel or charge twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SubscriptionSnapshot } from '../src/domain/stripe-events';
import type { Logger } from '../src/logging/logger';
import type { StripeApi } from '../src/stripe/api';
import { classifyStripeError } from '../src/stripe/errors';
import { toSubscriptionSnapshot } from '../src/stripe/subscription-snapshot';
import type { CancelSubscriptionResult, RetryPaymentResult } from './contract';
import { requireInvoiceId, requireSubscriptionId, requireText } from './invalid-input';

interface Deps {
  stripe: StripeApi;
  logger: Logger;
}

/** Statuses in which Stripe has already ended the subscription; canceling again is pointless. */
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

export async function cancelSubscription(
  deps: Deps,
  input: { subscriptionId: string; idempotencyKey: string },
): Promise<CancelSubscriptionResult> {
  const subscriptionId = requireSubscriptionId(input.subscriptionId);
  const idempotencyKey = requireText(input.idempotencyKey, 'idempotencyKey', 255);
  const current = await callStripe(() => deps.stripe.subscriptions.retrieve(subscriptionId), {
    subscriptionId,
  });
  const snapshot = toSubscriptionSnapshot(current);
  if (ENDED.has(snapshot.status)) {
    deps.logger.info({ subscriptionId, status: snapshot.status }, 'subscription already ended');
    return { status: snapshot.status, alreadyEnded: true };
  }
  const canceled = await callStripe(
    () => deps.stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey }),
    { subscriptionId },
  );
  const status = toSubscriptionSnapshot({ id: subscriptionId, status: canceled.status }).status;
  deps.logger.info({ subscriptionId, status }, 'subscription canceled in Stripe');
  return { status, alreadyEnded: false };
}

export async function retryInvoicePayment(
  deps: Deps,
  input: { invoiceId: string; idempotencyKey: string },
): Promise<RetryPaymentResult> {
  const invoiceId = requireInvoiceId(input.invoiceId);
  const idempotencyKey = requireText(input.idempotencyKey, 'idempotencyKey', 255);
  try {
    const invoice = await deps.stripe.invoices.pay(invoiceId, {}, { idempotencyKey });
    const invoiceStatus = invoice.status ?? 'unknown';
    deps.logger.info({ invoiceId, invoiceStatus }, 'invoice payment retried');
    return { paid: invoiceStatus === 'paid', invoiceStatus };
  } catch (error) {
    const kind = classifyStripeError(error);
    // A decline is an answer, not a failure: report it and let dunning go on. Retrying the
    // activity would only replay the same decline (same idempotency key).
    // An invalid request is most often "invoice already paid" (or voided): read the truth.
    if (kind !== 'card_declined' && kind !== 'invalid_request') throw rethrow(error, { invoiceId });
    const invoice = await callStripe(() => deps.stripe.invoices.retrieve(invoiceId), { invoiceId });
    const invoiceStatus = invoice.status ?? 'unknown';
    if (kind === 'invalid_request' && invoiceStatus !== 'paid') throw rethrow(error, { invoiceId });
    deps.logger.info(
      { invoiceId, invoiceStatus, declined: kind === 'card_declined' },
      'invoice payment retried',
    );
    return { paid: invoiceStatus === 'paid', invoiceStatus };
  }
}

export async function fetchSubscription(
  deps: Deps,
  subscriptionId: string,
): Promise<SubscriptionSnapshot> {
  const id = requireSubscriptionId(subscriptionId);
  const subscription = await callStripe(() => deps.stripe.subscriptions.retrieve(id), {
    subscriptionId: id,
  });
  return toSubscriptionSnapshot(subscription);
}

async function callStripe<T>(call: () => Promise<T>, meta: Record<string, string>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw rethrow(error, meta);
  }
}

/**
 * Transient errors are rethrown as they are, so Temporal retries them with backoff. A missing
 * object or a request Stripe rejects will fail the same way every time: non-retryable, with the
 * Stripe error type and the object named (Stripe's messages hold no personal data).
 */
function rethrow(error: unknown, meta: Record<string, string>): unknown {
  const kind = classifyStripeError(error);
  if (kind === 'transient' || kind === 'card_declined') return error;
  const message = error instanceof Error ? error.message : String(error);
  const subject = Object.entries(meta)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  return ApplicationFailure.nonRetryable(
    `Stripe rejected the request for ${subject}: ${message}`,
    kind === 'not_found' ? 'StripeObjectNotFound' : 'StripeInvalidRequest',
  );
}
