/**
 * The one place that reads the environment. Every process calls `loadConfig()` at start-up; it
 * validates every setting at once and throws a `ConfigError` that lists all problems together, so
 * an operator fixes a deployment in one pass instead of one restart per typo.
 */
import { parseDuration, parseDurationList } from './durations';
import {
  LOCAL_DEV_ADMIN_TOKEN,
  LOCAL_DEV_WEBHOOK_SECRET,
  SETTINGS,
  type Setting,
  type SettingName,
} from './settings';

export { SETTINGS, LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from './settings';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example or the README settings table for every variable.',
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface DunningPolicy {
  /** Offsets from the first failure, in milliseconds, ascending. */
  remindersMs: number[];
  graceMs: number;
  cancelMs: number;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  tls:
    | { certPath: string | undefined; keyPath: string | undefined; caPath: string | undefined }
    | undefined;
  rpcTimeoutMs: number;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  stripe: {
    webhookSecrets: string[];
    toleranceSeconds: number;
    secretKey: string | undefined;
    /** Set when no real key is configured: the client talks to stripe-mock or a fake. */
    apiBase: URL | undefined;
  };
  mongodbUri: string;
  temporal: TemporalSettings;
  adminApiToken: string;
  smtpUrl: string;
  mailFrom: string;
  /** Development and staging: every customer e-mail goes here instead of to the customer. */
  mailRedirectTo: string | undefined;
  dunning: DunningPolicy;
  customerIdleTimeoutMs: number;
  maxEventsPerRun: number;
  reconcile: { intervalMs: number; overlapMs: number };
  /** Port of the worker's /metrics and /healthz server. */
  workerMetricsPort: number;
  /** A prebuilt workflow bundle, or null to bundle at start-up. */
  workflowBundlePath: string | null;
}

type Raw = Partial<Record<SettingName, string>>;

/** Reads and validates the given environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw: Raw = {};
  for (const setting of SETTINGS as readonly Setting[]) {
    const given = env[setting.env]?.trim();
    const value = given === undefined || given === '' ? setting.default : given;
    if (value === undefined) {
      if (setting.required) problems.push(`${setting.env} is required: ${setting.doc}`);
      continue;
    }
    const problem = checkType(setting, value);
    if (problem) problems.push(problem);
    else raw[setting.env as SettingName] = value;
  }

  const secrets = splitList(raw.STRIPE_WEBHOOK_SECRET);
  for (const secret of secrets) {
    if (!secret.startsWith('whsec_')) {
      problems.push('STRIPE_WEBHOOK_SECRET: every secret must start with whsec_ (copy it again).');
      break;
    }
  }
  const mode = (raw.NODE_ENV ?? 'development') as Config['env'];
  if (mode === 'production') {
    if (secrets.includes(LOCAL_DEV_WEBHOOK_SECRET)) {
      problems.push('STRIPE_WEBHOOK_SECRET holds the local development secret in production.');
    }
    if (raw.ADMIN_API_TOKEN === LOCAL_DEV_ADMIN_TOKEN) {
      problems.push('ADMIN_API_TOKEN is the local development token in production.');
    }
    if (raw.MAIL_REDIRECT_TO !== undefined) {
      problems.push('MAIL_REDIRECT_TO must be unset in production: customers would get no e-mail.');
    }
    if (raw.ADMIN_API_TOKEN !== undefined && raw.ADMIN_API_TOKEN.length < 24) {
      problems.push('ADMIN_API_TOKEN must be at least 24 characters in production.');
    }
  }
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together.');
  }

  const reminders = raw.DUNNING_REMINDERS ? parseDurationList(raw.DUNNING_REMINDERS) : [];
  const grace = raw.DUNNING_GRACE ? parseDuration(raw.DUNNING_GRACE) : 0;
  const cancel = raw.DUNNING_CANCEL ? parseDuration(raw.DUNNING_CANCEL) : 0;
  if (grace >= cancel && raw.DUNNING_GRACE && raw.DUNNING_CANCEL) {
    problems.push('DUNNING_CANCEL must be later than DUNNING_GRACE.');
  }
  if (reminders.some((r) => r >= cancel) && raw.DUNNING_CANCEL) {
    problems.push('DUNNING_REMINDERS must all come before DUNNING_CANCEL.');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const secretKey = raw.STRIPE_SECRET_KEY;
  const tlsWanted =
    raw.TEMPORAL_TLS_CERT_PATH !== undefined || raw.TEMPORAL_TLS_CA_PATH !== undefined;
  return {
    env: mode,
    logLevel: raw.LOG_LEVEL ?? 'info',
    port: Number(raw.PORT),
    stripe: {
      webhookSecrets: secrets,
      toleranceSeconds: Number(raw.STRIPE_WEBHOOK_TOLERANCE),
      secretKey,
      apiBase: secretKey ? undefined : new URL(raw.STRIPE_API_BASE as string),
    },
    mongodbUri: raw.MONGODB_URI as string,
    temporal: {
      address: raw.TEMPORAL_ADDRESS as string,
      namespace: raw.TEMPORAL_NAMESPACE as string,
      taskQueue: raw.TEMPORAL_TASK_QUEUE as string,
      apiKey: raw.TEMPORAL_API_KEY,
      tls: tlsWanted
        ? {
            certPath: raw.TEMPORAL_TLS_CERT_PATH,
            keyPath: raw.TEMPORAL_TLS_KEY_PATH,
            caPath: raw.TEMPORAL_TLS_CA_PATH,
          }
        : undefined,
      rpcTimeoutMs: parseDuration(raw.TEMPORAL_RPC_TIMEOUT as string),
    },
    adminApiToken: raw.ADMIN_API_TOKEN as string,
    smtpUrl: raw.SMTP_URL as string,
    mailFrom: raw.MAIL_FROM as string,
    mailRedirectTo: raw.MAIL_REDIRECT_TO,
    dunning: {
      remindersMs: [...reminders].sort((a, b) => a - b),
      graceMs: grace,
      cancelMs: cancel,
    },
    customerIdleTimeoutMs: parseDuration(raw.CUSTOMER_IDLE_TIMEOUT as string),
    maxEventsPerRun: Number(raw.WORKFLOW_MAX_EVENTS_PER_RUN),
    reconcile: {
      intervalMs: parseDuration(raw.RECONCILE_INTERVAL as string),
      overlapMs: parseDuration(raw.RECONCILE_OVERLAP as string),
    },
    workerMetricsPort: Number(raw.WORKER_METRICS_PORT),
    workflowBundlePath: raw.WORKFLOW_BUNDLE_PATH ?? null,
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function checkType(setting: Setting, value: string): string | undefined {
  const name = setting.env;
  switch (setting.type) {
    case 'int': {
      const n = Number(value);
      return Number.isInteger(n) && n > 0
        ? undefined
        : `${name} must be a positive whole number of ${setting.unit ?? 'units'}, got "${value}".`;
    }
    case 'duration':
      return durationProblem(name, value);
    case 'durations':
      return splitList(value)
        .map((part) => durationProblem(name, part))
        .find((p) => p !== undefined);
    case 'url':
      try {
        new URL(value);
        return undefined;
      } catch {
        return `${name} must be a URL, for example ${setting.default ?? 'https://...'}.`;
      }
    case 'enum':
      return setting.values?.includes(value)
        ? undefined
        : `${name} must be one of ${setting.values?.join(', ')}, got "${value}".`;
    case 'string':
    case 'secret':
      return undefined;
  }
}

function durationProblem(name: string, value: string): string | undefined {
  try {
    const ms = parseDuration(value);
    return ms > 0 ? undefined : `${name} must be longer than zero, got "${value}".`;
  } catch {
    return `${name} must be a duration like "3 days" or "90s", got "${value}".`;
  }
}
