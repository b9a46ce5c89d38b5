/**
 * Addresses of the servers that Jest's global setup starts on free ports (test/global-setup.ts).
 * Global setup exports them as environment variables; tests read them only through here.
 */
export interface TestStack {
  /** Temporal CLI dev server frontend, host:port. */
  temporalAddress: string;
  /** Java time-skipping test server, host:port. */
  timeSkippingAddress: string;
  /** MongoDB-wire server base URI without a database name, e.g. mongodb://127.0.0.1:port */
  mongoBaseUri: string;
  /** stripe-mock, e.g. http://127.0.0.1:port */
  stripeApiBase: string;
  /** SMTP catcher, smtp://127.0.0.1:port */
  smtpUrl: string;
  /** SMTP catcher's web/REST API, http://127.0.0.1:port */
  mailApiUrl: string;
  /** Pre-built workflow bundle (bundleWorkflowCode output), so workers start fast. */
  workflowBundlePath: string;
  /** Temporal CLI binary, for tests that start their own dev server (fault drills). */
  temporalBin: string;
}

export const STACK_ENV = {
  temporalAddress: 'TEST_TEMPORAL_ADDRESS',
  timeSkippingAddress: 'TEST_TIME_SKIPPING_ADDRESS',
  mongoBaseUri: 'TEST_MONGO_BASE_URI',
  stripeApiBase: 'TEST_STRIPE_API_BASE',
  smtpUrl: 'TEST_SMTP_URL',
  mailApiUrl: 'TEST_MAIL_API_URL',
  workflowBundlePath: 'TEST_WORKFLOW_BUNDLE_PATH',
  temporalBin: 'TEST_TEMPORAL_BIN',
} as const satisfies Record<keyof TestStack, string>;

export function testStack(): TestStack {
  const missing: string[] = [];
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value) missing.push(name);
    return value ?? '';
  };
  const stack: TestStack = {
    temporalAddress: read(STACK_ENV.temporalAddress),
    timeSkippingAddress: read(STACK_ENV.timeSkippingAddress),
    mongoBaseUri: read(STACK_ENV.mongoBaseUri),
    stripeApiBase: read(STACK_ENV.stripeApiBase),
    smtpUrl: read(STACK_ENV.smtpUrl),
    mailApiUrl: read(STACK_ENV.mailApiUrl),
    workflowBundlePath: read(STACK_ENV.workflowBundlePath),
    temporalBin: read(STACK_ENV.temporalBin),
  };
  if (missing.length > 0) {
    throw new Error(
      `The test stack is not running (missing ${missing.join(', ')}). Run the suite with npm test, ` +
        'which starts every server through test/global-setup.ts.',
    );
  }
  return stack;
}

/** A MongoDB URI with a database of its own, so test files never see each other's documents. */
export function uniqueMongoUri(label: string): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return `${testStack().mongoBaseUri}/t_${label.replace(/[^a-z0-9]/gi, '_')}_${suffix}`;
}
