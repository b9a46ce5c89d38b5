/**
 * Errors that the API answers with a specific status. The central error handler turns each into
 * `{ error, message }` with a fixed message; anything else becomes a generic 500.
 */

export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** Stable machine-readable code for the JSON body. */
  abstract readonly code: string;
  /** Extra fields for the JSON body; never request data, headers or secrets. */
  body(): Record<string, unknown> {
    return {};
  }
}

/** Which part of Stripe's signature check failed; returned in the 401 body. */
export type SignatureCheck =
  'missing_signature_header' | 'no_matching_signature' | 'timestamp_outside_tolerance';

const SIGNATURE_HINTS: Record<SignatureCheck, string> = {
  missing_signature_header: 'The Stripe-Signature header is missing.',
  no_matching_signature:
    'No signature matches the raw body: check the webhook secret (STRIPE_WEBHOOK_SECRET).',
  timestamp_outside_tolerance:
    'The signature timestamp is outside the tolerance: check the clock, or this is a replay.',
};

export class SignatureVerificationError extends HttpError {
  readonly status = 401;
  readonly code = 'invalid_signature';
  constructor(readonly check: SignatureCheck) {
    super(SIGNATURE_HINTS[check]);
    this.name = 'SignatureVerificationError';
  }
  override body(): Record<string, unknown> {
    return { check: this.check };
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor() {
    super('Stripe webhooks are sent as application/json; send the event with that content type.');
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class BadRequestError extends HttpError {
  readonly status = 400;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor() {
    super('Send Authorization: Bearer <ADMIN_API_TOKEN>.');
    this.name = 'UnauthorizedError';
  }
}

export class NotFoundError extends HttpError {
  readonly status = 404;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ServiceUnavailableError extends HttpError {
  readonly status = 503;
  readonly code = 'temporarily_unavailable';
  constructor(
    message: string,
    /** Seconds, sent as Retry-After. */
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'ServiceUnavailableError';
  }
}
