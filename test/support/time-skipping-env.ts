/**
 * Connects a TestWorkflowEnvironment to the Java time-skipping server that global setup started.
 *
 * The SDK starts its own test server only through a binary download (impossible here) and waits
 * just 5 s for it. Its public `createFromExistingServer` turns time skipping off, so this calls
 * the SDK's general `create` with `server: { type: 'existing' }` and `supportsTimeSkipping: true`,
 * which is exactly what `createTimeSkipping` does after starting a server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testStack } from './stack-env';

interface ExistingTimeSkippingOptions {
  server: { type: 'existing' };
  address: string;
  supportsTimeSkipping: true;
  namespace?: string;
}

type CreateFromOptions = (options: ExistingTimeSkippingOptions) => Promise<TestWorkflowEnvironment>;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // TODO(sdk): use a public constructor once the SDK offers one for an existing test server.
  const create = (TestWorkflowEnvironment as unknown as { create: CreateFromOptions }).create;
  return create.call(TestWorkflowEnvironment, {
    server: { type: 'existing' },
    address: testStack().timeSkippingAddress,
    supportsTimeSkipping: true,
  });
}
