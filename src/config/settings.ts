/**
 * Every setting the service reads, in one table: its environment variable, type, default, unit
 * and a one-line doc. `.env.example`, the README's settings table and the docker-compose check
 * are all derived from or tested against this list.
 */

export type SettingType = 'string' | 'secret' | 'int' | 'duration' | 'durations' | 'url' | 'enum';

export interface Setting {
  /** Environment variable name. */
  env: string;
  type: SettingType;
  /** Default as the string a user would write; undefined means required or optional-unset. */
  default?: string;
  /** Whether start-up fails when the value is missing (after defaults). */
  required?: boolean;
  /** Unit of numbers, for docs. */
  unit?: string;
  /** Allowed values for `enum`. */
  values?: readonly string[];
  /** Which processes read it. */
  usedBy: ReadonlyArray<'api' | 'worker' | 'cli'>;
  doc: string;
}

export const SETTINGS = [
  {
    env: 'NODE_ENV',
    type: 'enum',
    values: ['development', 'test', 'production'],
    default: 'development',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'production refuses the local development secrets and token.',
  },
  {
    env: 'LOG_LEVEL',
    type: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Minimum level of the JSON logs written to stdout.',
  },
  {
    env: 'PORT',
    type: 'int',
    default: '3000',
    unit: 'TCP port',
    usedBy: ['api'],
    doc: 'Port the API (webhook, read API, health, metrics) listens on.',
  },
  {
    env: 'STRIPE_WEBHOOK_SECRET',
    type: 'secret',
    required: true,
    usedBy: ['api', 'cli'],
    doc: 'Endpoint signing secret(s), whsec_...; comma-separated while rolling a secret.',
  },
  {
    env: 'STRIPE_WEBHOOK_TOLERANCE',
    type: 'int',
    default: '300',
    unit: 'seconds',
    usedBy: ['api'],
    doc: 'Largest accepted age of a signature timestamp, in either direction.',
  },
  {
    env: 'STRIPE_SECRET_KEY',
    type: 'secret',
    usedBy: ['worker', 'cli'],
    doc: 'Stripe API key (sk_... or rk_...). Unset: calls go to stripe-mock at STRIPE_API_BASE.',
  },
  {
    env: 'STRIPE_API_BASE',
    type: 'url',
    default: 'http://127.0.0.1:12111',
    usedBy: ['worker', 'cli'],
    doc: 'Stripe API base URL used when STRIPE_SECRET_KEY is unset (stripe-mock or a fake).',
  },
  {
    env: 'MONGODB_URI',
    type: 'url',
    default: 'mongodb://127.0.0.1:27017/citrus',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'MongoDB (or FerretDB) connection string, including the database name.',
  },
  {
    env: 'TEMPORAL_ADDRESS',
    type: 'string',
    default: '127.0.0.1:7233',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Temporal frontend host:port.',
  },
  {
    env: 'TEMPORAL_NAMESPACE',
    type: 'string',
    default: 'default',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Temporal namespace.',
  },
  {
    env: 'TEMPORAL_TASK_QUEUE',
    type: 'string',
    default: 'citrus-subscriptions',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Task queue the worker polls and the API starts workflows on.',
  },
  {
    env: 'TEMPORAL_API_KEY',
    type: 'secret',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Temporal Cloud API key; turns TLS on.',
  },
  {
    env: 'TEMPORAL_TLS_CERT_PATH',
    type: 'string',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Client certificate (PEM) for mTLS; needs TEMPORAL_TLS_KEY_PATH.',
  },
  {
    env: 'TEMPORAL_TLS_KEY_PATH',
    type: 'string',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'Client private key (PEM) for mTLS.',
  },
  {
    env: 'TEMPORAL_TLS_CA_PATH',
    type: 'string',
    usedBy: ['api', 'worker', 'cli'],
    doc: 'CA bundle (PEM) for a self-hosted cluster with a private CA.',
  },
  {
    env: 'TEMPORAL_RPC_TIMEOUT',
    type: 'duration',
    default: '4 seconds',
    usedBy: ['api'],
    doc: 'Deadline of signal-with-start in the webhook, well under Stripe 10 s timeout.',
  },
  {
    env: 'ADMIN_API_TOKEN',
    type: 'secret',
    required: true,
    usedBy: ['api'],
    doc: 'Bearer token for the read API.',
  },
  {
    env: 'SMTP_URL',
    type: 'url',
    default: 'smtp://127.0.0.1:1025',
    usedBy: ['worker'],
    doc: 'SMTP server for customer e-mail (nodemailer URL, smtps:// for TLS).',
  },
  {
    env: 'MAIL_FROM',
    type: 'string',
    default: 'Citrus Host Billing <billing@citrushost.example>',
    usedBy: ['worker'],
    doc: 'From header of customer e-mail.',
  },
  {
    env: 'MAIL_REDIRECT_TO',
    type: 'string',
    usedBy: ['worker'],
    doc: 'Not in production: send every customer e-mail to this address instead (npm start sets it).',
  },
  {
    env: 'DUNNING_REMINDERS',
    type: 'durations',
    default: '3 days,5 days',
    usedBy: ['worker'],
    doc: 'Offsets from the first payment failure at which a reminder e-mail is sent.',
  },
  {
    env: 'DUNNING_GRACE',
    type: 'duration',
    default: '7 days',
    usedBy: ['worker'],
    doc: 'Offset from the first failure at which hosting access is suspended.',
  },
  {
    env: 'DUNNING_CANCEL',
    type: 'duration',
    default: '14 days',
    usedBy: ['worker'],
    doc: 'Offset from the first failure at which the subscription is canceled in Stripe.',
  },
  {
    env: 'CUSTOMER_IDLE_TIMEOUT',
    type: 'duration',
    default: '30 days',
    usedBy: ['worker'],
    doc: 'Idle time after a subscription ended before the customer workflow completes.',
  },
  {
    env: 'WORKFLOW_MAX_EVENTS_PER_RUN',
    type: 'int',
    default: '500',
    unit: 'events',
    usedBy: ['worker'],
    doc: 'Events a workflow run applies before it continues as new.',
  },
  {
    env: 'RECONCILE_INTERVAL',
    type: 'duration',
    default: '1 hour',
    usedBy: ['worker'],
    doc: 'How often the reconciliation Schedule lists events from the Stripe API.',
  },
  {
    env: 'RECONCILE_OVERLAP',
    type: 'duration',
    default: '10 minutes',
    usedBy: ['worker', 'cli'],
    doc: 'Safety overlap subtracted from the checkpoint of each reconciliation run.',
  },
  {
    env: 'WORKER_METRICS_PORT',
    type: 'int',
    default: '9464',
    unit: 'TCP port',
    usedBy: ['worker'],
    doc: 'Port of the worker /metrics (Prometheus) and /healthz endpoints.',
  },
  {
    env: 'WORKFLOW_BUNDLE_PATH',
    type: 'string',
    usedBy: ['worker'],
    doc: 'A workflow bundle built beforehand; unset, the worker bundles in a child process.',
  },
] as const satisfies readonly Setting[];

export type SettingName = (typeof SETTINGS)[number]['env'];

/**
 * Values filled in only by `npm start` and the tests, so that a local stack works out of the box.
 * Production mode refuses them.
 */
export const LOCAL_DEV_WEBHOOK_SECRET = 'whsec_local_development_only_do_not_use_in_production';
export const LOCAL_DEV_ADMIN_TOKEN = 'local-dev-admin-token-do-not-use-in-production';
