/**
 * Stripe signature verification over the raw body, with every configured secret (several while a
 * secret is being rolled in the Dashboard) and a tolerance that applies in both directions.
 */
import Stripe from 'stripe';
import { BadRequestError, type SignatureCheck, SignatureVerificationError } from '../errors';

export interface SignatureSettings {
  /** Endpoint secrets (`whsec_...`); the event is accepted if any of them verifies it. */
  secrets: readonly string[];
  /** Largest accepted distance between the signature timestamp and now, in seconds. */
  toleranceSeconds: number;
}

/**
 * Verifies the signature and parses the body.
 *
 * @returns the parsed JSON body, still unvalidated (Stripe's type is not trusted here).
 * @throws SignatureVerificationError (401) naming the failed check.
 * @throws BadRequestError (400) when a correctly signed body is not JSON.
 */
export function verifyStripeSignature(
  rawBody: Buffer,
  header: string | undefined,
  settings: SignatureSettings,
  nowMs: number = Date.now(),
): unknown {
  if (header === undefined || header.trim() === '') {
    throw new SignatureVerificationError('missing_signature_header');
  }
  let failed: SignatureCheck = 'no_matching_signature';
  for (const secret of settings.secrets) {
    let event: unknown;
    try {
      event = Stripe.webhooks.constructEvent(
        rawBody,
        header,
        secret,
        settings.toleranceSeconds,
        undefined,
        nowMs,
      );
    } catch (err) {
      // constructEvent parses only after the signature matched: a signed body that is not JSON.
      if (err instanceof SyntaxError) {
        throw new BadRequestError('invalid_json', 'The signed body is not valid JSON.');
      }
      // Anything else means the header could not be checked at all: stripe-node throws plain
      // errors for some malformed headers (an empty `v1=` fails inside its secure compare).
      // A timestamp error means this secret's signature matched, which is the more useful answer.
      if (
        err instanceof Stripe.errors.StripeSignatureVerificationError &&
        err.message.startsWith('Timestamp outside the tolerance zone')
      ) {
        failed = 'timestamp_outside_tolerance';
      }
      continue;
    }
    // Stripe only rejects old timestamps; a timestamp from the future is a clock problem or a
    // forgery prepared in advance, and is refused the same way.
    if (!timestampWithinTolerance(header, settings.toleranceSeconds, nowMs)) {
      throw new SignatureVerificationError('timestamp_outside_tolerance');
    }
    return event;
  }
  throw new SignatureVerificationError(failed);
}

function timestampWithinTolerance(
  header: string,
  toleranceSeconds: number,
  nowMs: number,
): boolean {
  const t = header
    .split(',')
    .map((part) => part.split('='))
    .find(([key]) => key === 't')?.[1];
  const seconds = Number(t);
  return Number.isInteger(seconds) && Math.abs(nowMs / 1000 - seconds) <= toleranceSeconds;
}
