/**
 * How a Stripe error is handled by an activity. The library sets `type` to the error class
 * name (`StripeCardError`, ...), which is what is read here, so fakes can throw plain objects.
 */

export type StripeErrorKind =
  /** The card was declined: a business outcome, not a failure. */
  | 'card_declined'
  /** The object does not exist (HTTP 404). */
  | 'not_found'
  /** Our request is wrong (other 4xx, idempotency key reused with other parameters). */
  | 'invalid_request'
  /** Network, rate limit, Stripe 5xx, authentication: worth retrying with backoff. */
  | 'transient';

export function classifyStripeError(error: unknown): StripeErrorKind {
  if (typeof error !== 'object' || error === null) return 'transient';
  const { type, statusCode } = error as {
    type?: unknown;
    statusCode?: unknown;
  };
  switch (type) {
    case 'StripeCardError':
      return 'card_declined';
    case 'StripeInvalidRequestError':
      return statusCode === 404 ? 'not_found' : 'invalid_request';
    case 'StripeIdempotencyError':
      return 'invalid_request';
    default:
      // Authentication and permission errors stay retryable on purpose: an operator fixes the
      // key and the pending activities then succeed, instead of dunning failing for good.
      return 'transient';
  }
}
