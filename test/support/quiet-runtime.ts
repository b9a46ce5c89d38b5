/**
 * The Temporal runtime of a test file, logging errors only.
 *
 * Why: the SDK's default runtime logger prints every worker state change and every workflow
 * log line at INFO, and core prints its own warnings to the console: thousands of lines per run
 * that bury a failing test in the CI output. Warnings go too: the tests that fail activities on
 * purpose (retries, outages) would print a stack trace per attempt. Tests assert behaviour, not
 * these lines; the production worker installs its own logger (src/worker/main.ts), and the tests
 * that check log content capture that one.
 *
 * Jest gives each test file its own module registry, hence its own Runtime: call this at the top
 * of every test file or support module that creates a Worker, before anything touches the
 * Runtime.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/** Idempotent within a test file, so support modules and the file itself may all call it. */
export function quietTemporalRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    // Jest owns the process's signals.
    shutdownSignals: [],
  });
}
