/**
 * Headless Chromium from the distribution's package, driven by playwright-core: never a browser
 * download. A missing browser fails the test with what to install; it is never skipped.
 */
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Keeps the browser off the network and away from any profile or first-run UI. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `No Chromium at ${path}. The Temporal UI check needs the Debian package: run ` +
        '`apt-get install -y chromium` as root (.ci/run does this in CI), then run the tests again.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** A browser with a new, empty profile directory; close the context to end the browser. */
export async function launchChromium(): Promise<BrowserContext> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new ChromiumMissingError(CHROMIUM_PATH);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'citrus-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 1100 },
  });
}
