/** Stops every server that global setup started and removes their temporary files. */
import { rmSync } from 'node:fs';
import { takeTestStack } from './support/test-stack-handle';

export default async function globalTeardown(): Promise<void> {
  const handle = takeTestStack();
  if (!handle) return;
  const started = Date.now();
  await handle.supervisor.stopAll({ graceMs: 5000, parallel: true });
  process.stdout.write(`[global-teardown] test servers stopped in ${Date.now() - started} ms\n`);
  rmSync(handle.runDir, { recursive: true, force: true });
}
