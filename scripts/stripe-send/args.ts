/** Command-line arguments of `npm run stripe:send`, validated with every valid value listed. */
import { parseArgs } from 'node:util';
import type { ApiShape } from '../../src/dev/stripe-event-builders';
import {
  type HandledEventType,
  isSubscriptionStatus,
  type SubscriptionStatus,
} from '../../src/domain/stripe-events';
import { EVENT_TYPES } from './catalog';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenarios';

export const USAGE = [
  'Usage:',
  '  npm run stripe:send -- <event-type> [options]',
  '  npm run stripe:send -- --scenario <name> [options]',
  '',
  'Options:',
  '  --customer cus_x        customer ID (a fresh one by default)',
  '  --subscription sub_x    subscription ID (a fresh one by default)',
  '  --invoice in_x          invoice ID (a fresh one by default)',
  '  --status <status>       subscription status of a subscription event',
  '  --url <url>             webhook URL (default http://127.0.0.1:$PORT/api/subscription/webhook)',
  '  --api-version old|new   payload shape: before or from API version 2025-03-31 (default new)',
  '  --no-wait               payment-failed-canceled: send the deletion without waiting for dunning',
  '',
  `Event types: ${EVENT_TYPES.join(', ')}`,
  'Scenarios:',
  ...SCENARIO_NAMES.map((name) => `  ${name}: ${SCENARIOS[name].description}`),
].join('\n');

export class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

interface CommonArgs {
  customer?: string;
  subscription?: string;
  invoice?: string;
  url?: string;
  shape: ApiShape;
  wait: boolean;
}

export type SendArgs =
  | (CommonArgs & { kind: 'event'; type: HandledEventType; status?: SubscriptionStatus })
  | (CommonArgs & { kind: 'scenario'; scenario: ScenarioName })
  | { kind: 'help' };

const SHAPES: Record<string, ApiShape> = {
  new: 'current',
  current: 'current',
  old: 'legacy',
  legacy: 'legacy',
};

export function parseSendArgs(argv: string[]): SendArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scenario: { type: 'string' },
        customer: { type: 'string' },
        subscription: { type: 'string' },
        invoice: { type: 'string' },
        status: { type: 'string' },
        url: { type: 'string' },
        'api-version': { type: 'string', default: 'new' },
        'no-wait': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };

  const shape = SHAPES[values['api-version']];
  if (!shape) {
    throw new UsageError(`--api-version "${values['api-version']}" is unknown; use old or new.`);
  }
  checkPrefix('--customer', values.customer, 'cus_');
  checkPrefix('--subscription', values.subscription, 'sub_');
  checkPrefix('--invoice', values.invoice, 'in_');
  if (values.url !== undefined && !URL.canParse(values.url)) {
    throw new UsageError(`--url "${values.url}" is not a URL.`);
  }
  const common: CommonArgs = {
    customer: values.customer,
    subscription: values.subscription,
    invoice: values.invoice,
    url: values.url,
    shape,
    wait: !values['no-wait'],
  };

  if (values.scenario !== undefined) {
    if (positionals.length > 0) {
      throw new UsageError('Give either an event type or --scenario, not both.');
    }
    if (!(SCENARIO_NAMES as string[]).includes(values.scenario)) {
      throw new UsageError(
        `Unknown scenario "${values.scenario}". Valid scenarios: ${SCENARIO_NAMES.join(', ')}.`,
      );
    }
    return { ...common, kind: 'scenario', scenario: values.scenario as ScenarioName };
  }

  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'Give an event type or --scenario <name>.'
        : `Give one event type, got ${positionals.length}.`,
    );
  }
  const type = positionals[0] ?? '';
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`Unknown event type "${type}". Valid types: ${EVENT_TYPES.join(', ')}.`);
  }
  return {
    ...common,
    kind: 'event',
    type: type as HandledEventType,
    status: status(values.status),
  };
}

function status(value: string | undefined): SubscriptionStatus | undefined {
  if (value === undefined || isSubscriptionStatus(value)) return value;
  throw new UsageError(`--status "${value}" is not a Stripe subscription status.`);
}

function checkPrefix(flag: string, value: string | undefined, prefix: string): void {
  if (value !== undefined && !value.startsWith(prefix)) {
    throw new UsageError(`${flag} "${value}" must start with ${prefix}.`);
  }
}
