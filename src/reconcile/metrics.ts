/**
 * Prometheus counters of reconciliation, registered on the worker's registry. They are counted
 * by the page activity after a page's signals were accepted, so a retried page is counted once.
 */
import { Counter, type Registry } from 'prom-client';

export interface ReconcileMetrics {
  /** Events listed from Stripe by reconciliation. */
  listed: Counter;
  /** Events signaled to customer workflows by reconciliation. */
  signaled: Counter;
  /** Events Stripe had not delivered to the webhook, recovered by reconciliation. */
  missedByWebhook: Counter;
  /** Events whose payload could not be normalized, skipped. */
  invalid: Counter;
}

export function createReconcileMetrics(registry: Registry): ReconcileMetrics {
  // Re-registering in one registry throws; a second worker in one process (tests) reuses them.
  const counter = (name: string, help: string): Counter =>
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({ name, help, registers: [registry] });
  return {
    listed: counter(
      'citrus_reconcile_events_listed_total',
      'Stripe events listed by reconciliation.',
    ),
    signaled: counter(
      'citrus_reconcile_events_signaled_total',
      'Stripe events signaled to customer workflows by reconciliation.',
    ),
    missedByWebhook: counter(
      'citrus_reconcile_events_missed_by_webhook_total',
      'Stripe events not delivered to the webhook (pending_webhooks > 0), recovered by reconciliation.',
    ),
    invalid: counter(
      'citrus_reconcile_events_invalid_total',
      'Stripe events reconciliation could not normalize and skipped.',
    ),
  };
}
