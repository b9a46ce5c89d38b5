/**
 * Billing-team controls of a customer's open dunning case, from the command line:
 *
 *   npm run billing -- extend-grace cus_123 "3 days" --reason "called support" [--operator ana]
 *   npm run billing -- retry-payment cus_123 --reason "new card on file"
 *   npm run billing -- waive cus_123 --reason "goodwill after outage"
 *
 * Each command runs a Temporal Update on the customer's workflow; the workflow's validator rejects
 * a bad argument with a message that names it, and a good one returns the new schedule, printed
 * here as JSON. The reason is recorded in the workflow history and the audit log.
 */
import { parseArgs } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { connectTemporal } from '../src/temporal/connection';
import {
  customerWorkflowId,
  extendGraceUpdate,
  retryPaymentUpdate,
  waiveDunningUpdate,
  type ControlArgs,
} from '../workflows/definitions';
import type { DunningScheduleView } from '../workflows/dunning/schedule';
import { localEnv } from './lib/local-env';

const USAGE =
  'Usage: npm run billing -- <extend-grace cus_id "3 days" | retry-payment cus_id | waive cus_id> ' +
  '--reason "why" [--operator name]';

export class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

export type BillingCommand =
  | { command: 'extend-grace'; customerId: string; by: string; args: ControlArgs }
  | { command: 'retry-payment' | 'waive'; customerId: string; args: ControlArgs };

export function parseCommand(argv: string[]): BillingCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { reason: { type: 'string' }, operator: { type: 'string' } },
  });
  const [command, customerId, by, ...extra] = positionals;
  if (!customerId || !/^cus_[A-Za-z0-9]+$/.test(customerId)) {
    throw new UsageError(`customer ID "${customerId ?? ''}" must look like cus_123.`);
  }
  if (!values.reason || values.reason.trim() === '') {
    throw new UsageError('--reason is required: say why you act.');
  }
  const args: ControlArgs = { reason: values.reason, operator: values.operator };
  if (command === 'extend-grace') {
    if (!by) throw new UsageError('extend-grace needs a duration, e.g. "3 days".');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    return { command, customerId, by, args };
  }
  if (command === 'retry-payment' || command === 'waive') {
    if (by !== undefined) throw new UsageError(`unexpected argument: ${by}`);
    return { command, customerId, args };
  }
  throw new UsageError(`unknown command "${command ?? ''}".`);
}

async function main(): Promise<void> {
  const parsed = parseCommand(process.argv.slice(2));
  // Outside production the CLI talks to `npm start`'s stack, like the reconcile CLI.
  const env =
    process.env.NODE_ENV === 'production'
      ? process.env
      : localEnv(process.env, process.env.MONGODB_URI ?? '').env;
  const config = loadConfig(env);
  const { client, connection } = await connectTemporal(config.temporal);
  try {
    const handle = client.workflow.getHandle(customerWorkflowId(parsed.customerId));
    let schedule: DunningScheduleView;
    if (parsed.command === 'extend-grace') {
      schedule = await handle.executeUpdate(extendGraceUpdate, {
        args: [{ ...parsed.args, by: parsed.by }],
      });
    } else if (parsed.command === 'retry-payment') {
      schedule = await handle.executeUpdate(retryPaymentUpdate, { args: [parsed.args] });
    } else {
      schedule = await handle.executeUpdate(waiveDunningUpdate, { args: [parsed.args] });
    }
    process.stdout.write(`${JSON.stringify(schedule, null, 2)}\n`);
  } catch (error) {
    // The workflow's rejection names the bad argument; show that rather than the wrapper.
    if (error instanceof WorkflowUpdateFailedError && error.cause) throw error.cause;
    throw error;
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
