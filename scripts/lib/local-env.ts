/**
 * The environment of the API and the worker under `npm start`: whatever the user exported, with
 * local defaults filled in for the stack that `npm start` runs itself.
 */
import { LOCAL_DEV_ADMIN_TOKEN, LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config/settings';

export const LOCAL_PORTS = {
  temporal: 7233,
  temporalUi: 8233,
  mongo: 27017,
  stripeMock: 12111,
  smtp: 1025,
  mailUi: 1080,
  api: 3000,
} as const;

/** Where every customer e-mail goes under `npm start`; read it in the mail UI. */
export const LOCAL_MAIL_RECIPIENT = 'customer@citrushost.example';

export interface LocalEnv {
  env: NodeJS.ProcessEnv;
  /** The variables that were filled in (not given by the user), to print them. */
  filled: Record<string, string>;
}

export function localEnv(given: NodeJS.ProcessEnv, mongoUri: string): LocalEnv {
  const defaults: Record<string, string> = {
    NODE_ENV: 'development',
    PORT: String(LOCAL_PORTS.api),
    STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
    ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
    STRIPE_API_BASE: `http://127.0.0.1:${LOCAL_PORTS.stripeMock}`,
    SMTP_URL: `smtp://127.0.0.1:${LOCAL_PORTS.smtp}`,
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: `127.0.0.1:${LOCAL_PORTS.temporal}`,
    // stripe-mock's customers have no e-mail address; without this, dunning mail reaches nobody.
    MAIL_REDIRECT_TO: LOCAL_MAIL_RECIPIENT,
  };
  const filled: Record<string, string> = {};
  const env: NodeJS.ProcessEnv = { ...given };
  for (const [name, value] of Object.entries(defaults)) {
    if (env[name]) continue;
    env[name] = value;
    filled[name] = value;
  }
  return { env, filled };
}
