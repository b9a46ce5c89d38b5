/**
 * What `npm run stripe:send` does, with its environment, output and clock passed in so tests run
 * it in-process: build the event(s), sign each with the configured secret, POST it, print the
 * answer, and stop at the first answer that is not 2xx.
 */
import { type Config, loadConfig, LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { parseDuration } from '../../src/config/durations';
import {
  nowSeconds,
  signedRequest,
  type StripeEventFixture,
  stripeId,
} from '../../src/dev/stripe-event-builders';
import { localEnv } from '../lib/local-env';
import { parseSendArgs, type SendArgs, USAGE, UsageError } from './args';
import { buildEvent, type CustomerIds } from './catalog';
import { SCENARIOS, type ScenarioStep } from './scenarios';

/** Longest dunning the CLI waits out before it sends the deletion Stripe would send. */
const LONGEST_WAIT_MS = parseDuration('10 minutes');
/** Time for the workflow's cancel timer to fire and its activity to finish. */
const WAIT_MARGIN_MS = parseDuration('5 seconds');

export interface RunContext {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface Delivery {
  event: StripeEventFixture;
  status: number;
  body: unknown;
}

/** Returns the process exit code: 0 when every answer was 2xx. */
export async function runStripeSend(argv: string[], context: RunContext): Promise<number> {
  let args: SendArgs;
  try {
    args = parseSendArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.out(error.message);
    return 2;
  }
  if (args.kind === 'help') {
    context.out(USAGE);
    return 0;
  }
  const config = cliConfig(context.env);
  const url = args.url ?? `http://127.0.0.1:${config.port}/api/subscription/webhook`;
  // While a secret is being rolled the API accepts either; the first one in the list signs.
  const secret = config.stripe.webhookSecrets[0] ?? LOCAL_DEV_WEBHOOK_SECRET;
  const ids: CustomerIds = {
    customer: args.customer ?? stripeId('cus'),
    subscription: args.subscription ?? stripeId('sub'),
    invoice: args.invoice ?? stripeId('in'),
    renewalInvoice: stripeId('in'),
  };
  const steps: ScenarioStep[] =
    args.kind === 'event'
      ? [{ type: args.type, options: { status: args.status } }]
      : SCENARIOS[args.scenario].steps;
  if (args.kind === 'scenario') {
    context.out(`Scenario ${args.scenario} for ${ids.customer} (${ids.subscription}) -> ${url}`);
  }

  let lastCreated = 0;
  for (const [index, step] of steps.entries()) {
    if (step.afterDunningCancel) {
      await waitForDunning(config, args.wait, context);
    }
    // Stripe's `created` has whole seconds; each step is at least one second after the previous.
    const created = Math.max(nowSeconds(), lastCreated + 1);
    lastCreated = created;
    const event = buildEvent(step.type, ids, { ...step.options, shape: args.shape, created });
    const prefix = steps.length > 1 ? `[${index + 1}/${steps.length}] ` : '';
    context.out(`${prefix}POST ${event.type} ${event.id} (${ids.customer})`);
    const delivery = await postEvent(url, secret, event);
    context.out(`  -> ${delivery.status} ${JSON.stringify(delivery.body)}`);
    if (delivery.status < 200 || delivery.status > 299) {
      context.out(`Stopped: the endpoint answered ${delivery.status}. ${hint(delivery.status)}`);
      return 1;
    }
  }
  return 0;
}

export async function postEvent(
  url: string,
  secret: string,
  event: StripeEventFixture,
): Promise<Delivery> {
  const { body, headers } = signedRequest(event, secret);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers });
  } catch (error) {
    throw new EndpointUnreachableError(url, error);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): print it as text.
  }
  return { event, status: res.status, body: parsed };
}

export class EndpointUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Could not reach ${url}. Is the API running (npm start), or is --url wrong?`, { cause });
    this.name = 'EndpointUnreachableError';
  }
}

/**
 * Outside production the CLI signs with the local development secret, like `npm start`'s API; the
 * config is validated as a whole, so the values the CLI does not read are filled in too.
 */
function cliConfig(env: NodeJS.ProcessEnv): Config {
  return loadConfig(env.NODE_ENV === 'production' ? env : localEnv(env, env.MONGODB_URI ?? '').env);
}

async function waitForDunning(config: Config, wait: boolean, context: RunContext): Promise<void> {
  const cancelMs = config.dunning.cancelMs;
  if (!wait || cancelMs > LONGEST_WAIT_MS) {
    context.out(
      'Sending the deletion now. In production Stripe sends it after the workflow cancels the ' +
        'subscription at DUNNING_CANCEL; start the stack with DUNNING_CANCEL="1 minute" ' +
        '(and DUNNING_GRACE, DUNNING_REMINDERS shorter) to watch that happen.',
    );
    return;
  }
  const ms = cancelMs + WAIT_MARGIN_MS;
  context.out(`Waiting ${Math.round(ms / 1000)} s for dunning to cancel (DUNNING_CANCEL) ...`);
  await (context.sleep ?? defaultSleep)(ms);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hint(status: number): string {
  if (status === 401) {
    return 'The signature did not match: the API and this CLI must share STRIPE_WEBHOOK_SECRET.';
  }
  if (status === 503) return 'Temporal is unreachable from the API; check that it is running.';
  return 'See the API log for the delivery line of this event ID.';
}
