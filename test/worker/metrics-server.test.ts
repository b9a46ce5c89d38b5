/**
 * The worker's metrics server on a free loopback port: Prometheus text with the reconciliation
 * counters, and a health answer that follows the worker's state.
 */
import { createLogger } from '../../src/logging/logger';
import { createReconcileMetrics } from '../../src/reconcile/metrics';
import {
  createWorkerRegistry,
  type MetricsServer,
  startMetricsServer,
} from '../../src/worker/metrics-server';

describe('the worker metrics server', () => {
  let server: MetricsServer;
  let healthy = false;
  const registry = createWorkerRegistry();
  const reconcile = createReconcileMetrics(registry);
  const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`;

  beforeAll(async () => {
    server = await startMetricsServer({
      registry,
      port: 0,
      host: '127.0.0.1',
      isHealthy: () => healthy,
      logger: createLogger({ level: 'silent' }),
    });
  });

  afterAll(() => server.close());

  it('serves the process metrics and the reconciliation counters in Prometheus format', async () => {
    reconcile.missedByWebhook.inc(3);

    const res = await fetch(url('/metrics'));

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain('process_resident_memory_bytes');
    expect(body).toMatch(/^citrus_reconcile_events_missed_by_webhook_total 3$/m);
    expect(body).toContain('citrus_reconcile_events_signaled_total');
  });

  it('answers 503 on /healthz until the worker is running, then 200', async () => {
    healthy = false;
    const before = await fetch(url('/healthz'));
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'unavailable' });

    healthy = true;
    const after = await fetch(url('/healthz'));
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 on any other path and 405 on other methods', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/metrics'), { method: 'POST' })).status).toBe(405);
  });
});
