/**
 * Temporal's Java time-skipping test server with its runtime dependencies, fetched once by Maven
 * (from the tiny pom next to this file) into `.tools/test-server/lib`.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_DIR } from '../lib/paths';
import { isCached, markCached } from './cache';
import { runStep } from './run-step';

export const TEST_SERVER_VERSION = '1.31.0';
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';
const LIB_DIR = join(TOOLS_DIR, 'test-server', 'lib');

/** Returns the Java class path (`.../lib/*`) of the test server. */
export async function ensureTestServer(): Promise<string> {
  const jar = join(LIB_DIR, `temporal-test-server-${TEST_SERVER_VERSION}.jar`);
  if (!isCached(jar, TEST_SERVER_VERSION)) {
    mkdirSync(LIB_DIR, { recursive: true });
    await runStep({
      what: `Fetching the Temporal time-skipping test server ${TEST_SERVER_VERSION} with Maven`,
      command: 'mvn',
      args: [
        '-q',
        '-B',
        '-f',
        join(__dirname, 'test-server', 'pom.xml'),
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${LIB_DIR}`,
      ],
    });
    if (!existsSync(jar)) {
      throw new Error(
        `Maven finished but ${jar} is missing; found ${readdirSync(LIB_DIR).join(', ')}.`,
      );
    }
    markCached(jar, TEST_SERVER_VERSION);
  }
  return join(LIB_DIR, '*');
}
