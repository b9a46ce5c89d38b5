/**
 * `npm run reconcile -- --since <ISO date> [--until <ISO date>] [--no-wait]`
 *
 * Starts an on-demand reconciliation run for the given window and, unless --no-wait, prints its
 * result (the same JSON the Temporal UI shows). On-demand runs leave the scheduled checkpoint
 * alone, so they can be started at any time, even while a scheduled run is going.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logging/logger';
import { connectTemporal } from '../src/temporal/connection';
import { localEnv } from './lib/local-env';
import {
  RECONCILE_MANUAL_WORKFLOW_ID_PREFIX,
  RECONCILE_WORKFLOW_TYPE,
  type ReconcileInput,
} from '../workflows/reconcile/definitions';
import type { reconciliationWorkflow } from '../workflows/reconcile/workflow';

export class UsageError extends Error {
  constructor(problem: string) {
    super(
      `${problem}\nUsage: npm run reconcile -- --since <ISO date> [--until <ISO date>] [--no-wait]`,
    );
    this.name = 'UsageError';
  }
}

export function parseWindow(argv: string[], nowMs: number): ReconcileInput & { wait: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
    },
  });
  if (values.since === undefined) throw new UsageError('--since is required.');
  const since = unixSeconds('--since', values.since);
  const until = values.until === undefined ? undefined : unixSeconds('--until', values.until);
  if (until !== undefined && until < since) throw new UsageError('--until is before --since.');
  if (since > nowMs / 1000) throw new UsageError('--since is in the future.');
  return { since, until, wait: !values['no-wait'] };
}

function unixSeconds(flag: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new UsageError(`${flag} "${value}" is not a date; write it like 2026-01-31T00:00:00Z.`);
  }
  return Math.floor(ms / 1000);
}

async function main(): Promise<void> {
  const { wait, ...input } = parseWindow(process.argv.slice(2), Date.now());
  // Outside production, the CLI runs against `npm start`'s stack without extra exports, like the
  // worker there; it reads only the Temporal settings, but the config is validated as a whole.
  const env =
    process.env.NODE_ENV === 'production'
      ? process.env
      : localEnv(process.env, process.env.MONGODB_URI ?? '').env;
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, name: 'cli' });
  const { client, connection } = await connectTemporal(config.temporal);
  try {
    const workflowId = `${RECONCILE_MANUAL_WORKFLOW_ID_PREFIX}${new Date().toISOString()}`;
    const handle = await client.workflow.start<typeof reconciliationWorkflow>(
      RECONCILE_WORKFLOW_TYPE,
      { workflowId, taskQueue: config.temporal.taskQueue, args: [input] },
    );
    logger.info({ workflowId, since: input.since, until: input.until }, 'reconciliation started');
    if (wait) {
      const result = await handle.result();
      process.stdout.write(`${JSON.stringify({ workflowId, ...result }, null, 2)}\n`);
    } else {
      process.stdout.write(`${JSON.stringify({ workflowId })}\n`);
    }
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
