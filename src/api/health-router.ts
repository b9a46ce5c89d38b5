/**
 * `/healthz`: the process is up (for restarts). `/readyz`: Temporal answers (for routing traffic),
 * read from a flag refreshed in the background. `/metrics`: Prometheus text.
 */
import { Router } from 'express';
import type { ApiMetrics } from './metrics';
import type { Readiness } from './readiness';

export function healthRouter(deps: { readiness: Readiness; metrics: ApiMetrics }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (deps.readiness.isReady()) res.json({ ready: true });
    else res.status(503).json({ ready: false, reason: 'temporal_unreachable' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
