/** `npm run tools`: builds or fetches every cached tool now, e.g. to warm a CI image. */
import { ensureFerretDb, ensureStripeMock, ensureTemporal } from './go-tools';
import { progress } from './run-step';
import { ensureTestServer } from './test-server';

async function main(): Promise<void> {
  progress(`temporal: ${await ensureTemporal()}`);
  progress(`stripe-mock: ${await ensureStripeMock()}`);
  progress(`ferretdb: ${await ensureFerretDb()}`);
  progress(`test server: ${await ensureTestServer()}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
