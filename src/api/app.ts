/**
 * The Express app of the API process, built from injected dependencies so tests can pass fakes
 * (a signaler, a read model) or real ones without module mocking.
 */
import express, { type Express } from 'express';
import type { Config } from '../config';
import type { ReadModel } from '../domain/read-model';
import type { EventSignaler } from '../ingest/signal';
import type { Logger } from '../logging/logger';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRouter } from './health-router';
import type { ApiMetrics } from './metrics';
import { customersRouter } from './read/customers-router';
import type { Readiness } from './readiness';
import { webhookRouter } from './webhook/route';

export interface AppDeps {
  config: Pick<Config, 'stripe' | 'adminApiToken'>;
  signaler: EventSignaler;
  readModel: ReadModel;
  logger: Logger;
  metrics: ApiMetrics;
  readiness: Readiness;
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Registered first and with its own raw body parser; no JSON parser runs before it.
  app.use(
    webhookRouter({
      signature: {
        secrets: config.stripe.webhookSecrets,
        toleranceSeconds: config.stripe.toleranceSeconds,
      },
      signaler: deps.signaler,
      logger,
      metrics,
    }),
  );
  app.use(healthRouter({ readiness: deps.readiness, metrics }));
  app.use(
    customersRouter({
      readModel: deps.readModel,
      adminApiToken: config.adminApiToken,
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
