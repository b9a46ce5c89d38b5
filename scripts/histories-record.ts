/**
 * `npm run histories:record`: regenerates the golden histories in test/histories by driving the
 * real stack (Temporal dev server, MongoDB-wire server, stripe-mock, maildev, worker, API) with
 * signed events on the webhook and seconds-long dunning, then saving each workflow's history.
 *
 *   npm run histories:record                       every scenario, named with the current version
 *   npm run histories:record -- --only happy-path  some scenarios (comma-separated)
 *   npm run histories:record -- --version v3       another version suffix
 *
 * Everything it starts is stopped at the end, also on failure and on Ctrl-C.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToFileJson } from './histories/codec';
import { CustomerDriver } from './histories/driver';
import { fetchRunChain } from './histories/fetch-runs';
import { HISTORIES_DIR, historyFileName, WORKFLOW_CODE_VERSION } from './histories/files';
import { SCENARIOS, type Scenario } from './histories/scenarios';
import { startRecordingStack, type RecordingStack } from './histories/stack';

class UsageError extends Error {
  constructor(problem: string) {
    super(
      `${problem}\nUsage: npm run histories:record -- [--only a,b] [--version v1]\n` +
        `Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    this.name = 'UsageError';
  }
}

function say(line: string): void {
  process.stdout.write(`[histories] ${line}\n`);
}

function chosenScenarios(only: string | undefined): Scenario[] {
  if (!only) return SCENARIOS;
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown scenario(s): ${unknown.join(', ')}`);
  return SCENARIOS.filter((s) => names.includes(s.name));
}

async function record(stack: RecordingStack, scenarios: Scenario[], version: string) {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  try {
    // Scenarios that need other worker settings run last, each on a restarted worker.
    const ordered = [
      ...scenarios.filter((s) => !s.workerEnv),
      ...scenarios.filter((s) => s.workerEnv),
    ];
    for (const scenario of ordered) {
      if (scenario.workerEnv) {
        say(`restarting the worker with ${JSON.stringify(scenario.workerEnv)}`);
        await stack.restartWorker(scenario.workerEnv);
      }
      const started = Date.now();
      const customer = new CustomerDriver({ client, ...stack });
      await scenario.play(customer);
      const runs = await fetchRunChain(client, customer.workflowId);
      for (const [index, run] of runs.entries()) {
        const name = historyFileName(
          scenario.name,
          version,
          runs.length > 1 ? index + 1 : undefined,
        );
        writeFileSync(join(HISTORIES_DIR, name), historyToFileJson(run.history));
        say(`${name}: ${run.history.events?.length ?? 0} events (${customer.workflowId})`);
      }
      say(`${scenario.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await connection.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { only: { type: 'string' }, version: { type: 'string' } },
  });
  const scenarios = chosenScenarios(values.only);
  const version = values.version ?? WORKFLOW_CODE_VERSION;
  if (!/^v\d+$/.test(version)) throw new UsageError(`version "${version}" must look like v2.`);
  say(`starting the recording stack for ${scenarios.length} scenario(s), version ${version}`);
  const stack = await startRecordingStack(say);
  const stop = () => {
    say('stopping every process ...');
    return stack.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    await record(stack, scenarios, version);
  } finally {
    await stop();
  }
  say(`histories written to ${HISTORIES_DIR}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
