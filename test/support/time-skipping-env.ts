/**
 * The one way tests connect a TestWorkflowEnvironment to a Java time-skipping test server.
 *
 * The SDK starts its own test server only through a binary download (impossible here) and waits
 * just 5 s for it. Its public `createFromExistingServer` turns time skipping off, so this calls
 * the SDK's general `create` with `server: { type: 'existing' }` and `supportsTimeSkipping: true`,
 * which is exactly what `createTimeSkipping` does after starting a server.
 *
 * Workflow test files use `startIsolatedTimeSkippingEnv()`: a fresh server of their own. Time
 * skipping is global to a server and locked by any client that waits outside `handle.result()`;
 * a workflow, Worker or lock left over from an earlier file on a shared server kept the next
 * file's `env.sleep` from ever returning. A server per file makes that impossible by design.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { freePort, waitForPort } from '../../scripts/lib/ports';
import { Supervisor } from '../../scripts/lib/supervisor';
import { ensureTestServer, TEST_SERVER_MAIN_CLASS } from '../../scripts/tools/test-server';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { testStack } from './stack-env';
import { quietTemporalRuntime } from './quiet-runtime';

quietTemporalRuntime();

interface ExistingTimeSkippingOptions {
  server: { type: 'existing' };
  address: string;
  supportsTimeSkipping: true;
  namespace: string;
}

type CreateFromOptions = (options: ExistingTimeSkippingOptions) => Promise<TestWorkflowEnvironment>;

/** Connects to a running time-skipping server; by default the one global setup gave this worker. */
export async function createTimeSkippingEnv(
  address = testStack().timeSkippingAddress,
): Promise<TestWorkflowEnvironment> {
  // TODO(sdk): use a public constructor once the SDK offers one for an existing test server.
  const create = (TestWorkflowEnvironment as unknown as { create: CreateFromOptions }).create;
  const env = await create.call(TestWorkflowEnvironment, {
    server: { type: 'existing' },
    address,
    supportsTimeSkipping: true,
    namespace: 'default',
  });
  await registerSearchAttributes(env);
  return env;
}

/**
 * The time-skipping server rejects upserts of unknown search attributes, like a real cluster, so
 * the tests register the workflow's typed attributes first.
 */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  // One call per name: the server refuses a whole batch when any one name already exists.
  for (const name of Object.keys(SEARCH_ATTRIBUTES)) {
    try {
      await env.connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { [name]: keyword },
      });
    } catch (error) {
      if (!/already/i.test(String(error))) throw error;
    }
  }
}

export interface IsolatedTimeSkippingEnv {
  env: TestWorkflowEnvironment;
  address: string;
  /** Closes the connections, then stops the server and waits until its port is released. */
  stop(): Promise<void>;
}

/**
 * Starts a fresh Java time-skipping server on a free port and connects to it. Call `stop()` in
 * `afterAll`. A reaper (the same one global setup uses) kills the server if the Jest worker dies.
 */
export async function startIsolatedTimeSkippingEnv(): Promise<IsolatedTimeSkippingEnv> {
  const classPath = await ensureTestServer();
  const runDir = mkdtempSync(join(tmpdir(), 'citrus-time-skipping-'));
  const supervisor = new Supervisor(join(runDir, 'servers.pids'));
  const port = await freePort();
  const server = supervisor.start({
    name: 'time-skipping',
    command: 'java',
    args: ['-Xss2m', '-cp', classPath, TEST_SERVER_MAIN_CLASS, String(port)],
    cwd: runDir,
    output: { file: join(runDir, 'time-skipping.log') },
  });
  const stopServer = async (): Promise<void> => {
    await supervisor.stopAll({ graceMs: 5000 });
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitForPort({
      name: 'time-skipping test server',
      port,
      timeoutMs: 90_000,
      failed: () => server.unexpectedExit(),
    });
    const address = `127.0.0.1:${port}`;
    const env = await createTimeSkippingEnv(address);
    return {
      env,
      address,
      stop: async () => {
        await env.teardown();
        await stopServer();
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}
