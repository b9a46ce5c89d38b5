/**
 * POST /api/subscription/webhook: verify, validate, normalize, signal, and answer only after
 * Temporal has accepted the signal. No MongoDB access and no Stripe API call happen here, so the
 * answer stays fast and depends on Temporal alone.
 *
 * Content type: Stripe always sends `application/json`. Anything else is answered 415 before the
 * body is read, which keeps a stray form post or upload from costing a signature check.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { InvalidEventError, MalformedCustomerIdError } from '../../ingest/errors';
import { type NormalizeResult, normalizeStripeEvent } from '../../ingest/normalize';
import { type EventSignaler, TemporalUnavailableError } from '../../ingest/signal';
import type { Logger } from '../../logging/logger';
import {
  BadRequestError,
  ServiceUnavailableError,
  SignatureVerificationError,
  UnsupportedMediaTypeError,
} from '../errors';
import type { ApiMetrics } from '../metrics';
import { type Delivery, trackDelivery } from './delivery';
import { type SignatureSettings, verifyStripeSignature } from './verify-signature';

export const WEBHOOK_PATH = '/api/subscription/webhook';

/** Stripe's own limit on event size is far below this. */
export const WEBHOOK_BODY_LIMIT = '1mb';

/** Seconds a caller is told to wait after a 503; Stripe retries on its own schedule anyway. */
export const RETRY_AFTER_SECONDS = 10;

export interface WebhookDeps {
  signature: SignatureSettings;
  signaler: EventSignaler;
  logger: Logger;
  metrics: ApiMetrics;
}

export function webhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  router.post(
    WEBHOOK_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      res.locals.delivery = trackDelivery(res, deps.logger, deps.metrics);
      next(isJson(req.headers['content-type']) ? undefined : new UnsupportedMediaTypeError());
    },
    // The signature is over the exact bytes, so the body is kept raw, and only on this route.
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    async (req: Request, res: Response) => {
      const delivery = res.locals.delivery as Delivery;
      const body = await handleDelivery(req, delivery, deps);
      res.status(200).json(body);
    },
  );
  return router;
}

async function handleDelivery(
  req: Request,
  delivery: Delivery,
  deps: WebhookDeps,
): Promise<Record<string, unknown>> {
  const rawBody: unknown = req.body;
  // express.raw leaves the body unset when the request had none.
  const bytes = Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0);
  let parsed: unknown;
  try {
    parsed = verifyStripeSignature(
      bytes,
      headerValue(req.headers['stripe-signature']),
      deps.signature,
    );
  } catch (err) {
    if (err instanceof SignatureVerificationError) {
      deps.metrics.rejectedSignatures.inc({ check: err.check });
    }
    throw err;
  }

  let result: NormalizeResult;
  try {
    result = normalizeStripeEvent(parsed, 'webhook');
  } catch (err) {
    if (err instanceof InvalidEventError) {
      throw new BadRequestError('invalid_event', err.message);
    }
    if (err instanceof MalformedCustomerIdError) {
      delivery.eventId = eventField(parsed, 'id');
      delivery.type = eventField(parsed, 'type');
      throw new BadRequestError('malformed_customer_id', err.message);
    }
    throw err;
  }

  if (result.kind === 'ignored') {
    Object.assign(delivery, {
      eventId: result.eventId,
      type: result.type,
      outcome: 'ignored',
    });
    deps.metrics.ignoredEvents.inc({ reason: result.reason });
    return { received: true, ignored: result.reason };
  }

  const { event } = result;
  Object.assign(delivery, {
    eventId: event.id,
    type: event.type,
    customerId: event.customerId,
  });
  const stopTimer = deps.metrics.signalLatency.startTimer();
  try {
    const receipt = await deps.signaler.signal(event);
    stopTimer({ result: 'ok' });
    delivery.outcome = 'accepted';
    return {
      received: true,
      eventId: event.id,
      workflowId: receipt.workflowId,
    };
  } catch (err) {
    if (err instanceof TemporalUnavailableError) {
      stopTimer({ result: 'unavailable' });
      throw new ServiceUnavailableError(
        'The event could not be handed to the workflow engine; retry later.',
        RETRY_AFTER_SECONDS,
        err,
      );
    }
    stopTimer({ result: 'error' });
    throw err;
  }
}

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Reads `id` or `type` of a body that failed later checks, for the log line only. */
function eventField(parsed: unknown, key: 'id' | 'type'): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const value = (parsed as Record<string, unknown>)[key];
  return typeof value === 'string' ? value.slice(0, 100) : undefined;
}
