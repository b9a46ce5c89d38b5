/**
 * Structured JSON logs (pino). Every line is a fixed message plus a metadata object, for example
 * `logger.info({ eventId, type, customerId, outcome, ms }, 'webhook delivery')`.
 *
 * Stripe objects carry customers' personal data, so payloads, signature headers and secrets are
 * never logged; the redaction list below is a second line of defence, not the first.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'req.headers["stripe-signature"]',
  'req.headers.authorization',
  'headers["stripe-signature"]',
  'headers.authorization',
  'signature',
  'secret',
  'webhookSecret',
  'apiKey',
  'body',
  'payload',
  'email',
  '*.email',
];

export interface LoggerOptions {
  level?: string;
  /** Process role, added to every line (`api`, `worker`, `cli`). */
  name?: string;
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name,
      base: { service: 'citrus-subscriptions', role: options.name },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
