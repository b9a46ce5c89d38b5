/** Stops every server that global setup started and removes their temporary files. */
import { rmSync } from 'node:fs';
import { takeTestStack } from './support/test-stack-handle';

export default async function globalTeardown(): Promise<void> {
  const handle = takeTestStack();
  if (!handle) return;
  await handle.supervisor.stopAll(5000);
  rmSync(handle.runDir, { recursive: true, force: true });
}
