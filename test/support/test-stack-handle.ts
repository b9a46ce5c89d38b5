/**
 * Hands the running test servers from global setup to global teardown; Jest runs both in its
 * main process, so a global is the documented way to share them.
 */
import type { Supervisor } from '../../scripts/lib/supervisor';

export interface TestStackHandle {
  supervisor: Supervisor;
  /** Temporary folder with the servers' logs, data and the workflow bundle. */
  runDir: string;
}

const KEY = Symbol.for('citrus.testStack');
type WithHandle = typeof globalThis & { [KEY]?: TestStackHandle };

export function setTestStack(handle: TestStackHandle): void {
  (globalThis as WithHandle)[KEY] = handle;
}

export function takeTestStack(): TestStackHandle | undefined {
  const holder = globalThis as WithHandle;
  const handle = holder[KEY];
  delete holder[KEY];
  return handle;
}
