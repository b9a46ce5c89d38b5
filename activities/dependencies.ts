/**
 * What the activities need from the outside world. The worker passes real ones; tests pass real
 * servers or small fakes, never module mocks.
 */
import type { Config } from '../src/config';
import type { Models } from '../src/db/models';
import type { Logger } from '../src/logging/logger';
import type { Mailer } from '../src/mail/mailer';
import type { StripeApi } from '../src/stripe/api';

export interface ActivityDependencies {
  models: Models;
  stripe: StripeApi;
  mailer: Mailer;
  logger: Logger;
  config: Pick<Config, 'dunning' | 'customerIdleTimeoutMs' | 'maxEventsPerRun'> &
    Partial<Pick<Config, 'mailRedirectTo'>>;
}
