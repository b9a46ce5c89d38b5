/**
 * Why a verified Stripe event cannot be turned into a normalized event. These carry no HTTP
 * status: the API maps them to 400, reconciliation logs and skips them.
 */

/** The body is not a Stripe event object, or the object inside lacks a field the workflow needs. */
export class InvalidEventError extends Error {
  constructor(
    /** Which part was wrong, as field paths (never values, which may hold personal data). */
    readonly problems: string[],
  ) {
    super(
      `The body is not a usable Stripe event (${problems.join('; ')}). ` +
        'Send the event object exactly as Stripe delivers it.',
    );
    this.name = 'InvalidEventError';
  }
}

/** `data.object.customer` is present but not shaped like a Stripe customer ID (`cus_...`). */
export class MalformedCustomerIdError extends Error {
  constructor() {
    // The bad value is not echoed: it came from the request and may be anything.
    super(
      'data.object.customer is not a Stripe customer ID (cus_ followed by letters and digits).',
    );
    this.name = 'MalformedCustomerIdError';
  }
}
