/**
 * `npm run replay -- --workflow-id <id> [--run-id <id>]`: fetches one run's history from the
 * configured Temporal server (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS settings) and replays it
 * against the workflow code of this checkout. Use it before a deploy, on runs of production
 * customers, and to debug one. Without --run-id it replays the latest run.
 *
 * Exit code 0: the run replays; 1: it does not (the mismatch is printed); 2: bad arguments.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { connectTemporal } from '../src/temporal/connection';
import { localEnv } from './lib/local-env';
import { ROOT } from './lib/paths';

const USAGE = 'Usage: npm run replay -- --workflow-id <id> [--run-id <id>]';

class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  let values: { 'workflow-id'?: string; 'run-id'?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { 'workflow-id': { type: 'string' }, 'run-id': { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const workflowId = values['workflow-id'];
  if (!workflowId) throw new UsageError('--workflow-id is required, e.g. customer-cus_123.');

  // Outside production the CLI talks to `npm start`'s stack, like the billing CLI.
  const env =
    process.env.NODE_ENV === 'production'
      ? process.env
      : localEnv(process.env, process.env.MONGODB_URI ?? '').env;
  const config = loadConfig(env);
  const { client, connection } = await connectTemporal(config.temporal);
  try {
    const handle = client.workflow.getHandle(workflowId, values['run-id']);
    const runId = values['run-id'] ?? (await handle.describe()).runId;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    say(
      `Replaying ${workflowId} run ${runId} (${history.events?.length ?? 0} events) from ` +
        `${config.temporal.address}/${config.temporal.namespace} against workflows/ ...`,
    );
    try {
      await Worker.runReplayHistory(
        { workflowsPath: join(ROOT, 'workflows', 'index.ts') },
        history,
        workflowId,
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      say(`FAIL ${workflowId} run ${runId}: ${name}: ${message}`);
      say('The current code would not reproduce this run: see docs/REPLAY.md (patched()).');
      return 1;
    }
    say(`PASS ${workflowId} run ${runId} replays against the current code.`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
