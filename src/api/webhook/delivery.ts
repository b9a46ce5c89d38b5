/**
 * One record per webhook delivery, filled in as the request goes through the route and written
 * once when the response is finished: one log line and one count, whatever the outcome.
 */
import type { Response } from 'express';
import { isHandledEventType } from '../../domain/stripe-events';
import type { Logger } from '../../logging/logger';
import type { ApiMetrics, DeliveryOutcome } from '../metrics';

export interface Delivery {
  eventId?: string;
  type?: string;
  customerId?: string;
  outcome?: DeliveryOutcome;
}

const OUTCOME_BY_STATUS: Record<number, DeliveryOutcome> = {
  400: 'invalid',
  401: 'rejected_signature',
  413: 'too_large',
  415: 'unsupported_media_type',
  503: 'unavailable',
};

/** Attaches a fresh delivery record to the response and logs it when the response is sent. */
export function trackDelivery(res: Response, logger: Logger, metrics: ApiMetrics): Delivery {
  const startedAt = process.hrtime.bigint();
  const delivery: Delivery = {};
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const status = res.statusCode;
    const outcome = delivery.outcome ?? OUTCOME_BY_STATUS[status] ?? 'failed';
    metrics.deliveries.inc({ type: typeLabel(delivery.type), outcome });
    logger.info(
      {
        eventId: delivery.eventId,
        type: delivery.type,
        customerId: delivery.customerId,
        outcome,
        status,
        ms: Math.round(ms * 10) / 10,
      },
      'webhook delivery',
    );
  });
  return delivery;
}

/** Bounds the label's cardinality: an event type is free text once a sender holds the secret. */
function typeLabel(type: string | undefined): string {
  if (type === undefined) return 'unverified';
  return isHandledEventType(type) ? type : 'other';
}
