/**
 * Prometheus metrics of the API. Each app instance gets its own registry (not prom-client's global
 * one), so tests that build several apps never see each other's counts.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How a webhook delivery ended; a label of the deliveries counter and of the delivery log line. */
export type DeliveryOutcome =
  | 'accepted'
  | 'ignored'
  | 'rejected_signature'
  | 'invalid'
  | 'unsupported_media_type'
  | 'too_large'
  | 'unavailable'
  | 'failed';

export interface ApiMetrics {
  registry: Registry;
  /** Labels: `type` (a handled type, `other` or `unverified`) and `outcome`. */
  deliveries: Counter<'type' | 'outcome'>;
  /** Seconds from sending signal-with-start to its answer; label `result`: ok | unavailable | error. */
  signalLatency: Histogram<'result'>;
  /** Label `check`: which signature check failed. */
  rejectedSignatures: Counter<'check'>;
  /** Label `reason`: `unhandled_type` or `no_customer`. */
  ignoredEvents: Counter<'reason'>;
}

export interface ApiMetricsOptions {
  /** Process metrics (CPU, memory, event loop); on in the real process, off in tests. */
  processMetrics?: boolean;
}

export function createApiMetrics(options: ApiMetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: 'citrus_webhook_deliveries_total',
      help: 'Webhook deliveries by event type and outcome.',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    signalLatency: new Histogram({
      name: 'citrus_webhook_signal_with_start_seconds',
      help: 'Latency of signal-with-start to the customer workflow, in seconds.',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    rejectedSignatures: new Counter({
      name: 'citrus_webhook_rejected_signatures_total',
      help: 'Webhook deliveries rejected by signature verification, by failed check.',
      labelNames: ['check'],
      registers: [registry],
    }),
    ignoredEvents: new Counter({
      name: 'citrus_webhook_ignored_events_total',
      help: 'Verified events acknowledged without a signal, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
