/**
 * The Temporal UI, checked in a real browser: a scenario is played through the real API, a real
 * worker with the real activities and a Temporal dev server with its UI; then headless Chromium
 * finds the customer's workflow by its search attribute, opens its history, and sees the signal
 * and the activity summaries. The screenshot is kept as a test artifact and as the README's image.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Connection as MongoConnection } from 'mongoose';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createActivities } from '../../activities';
import { runStripeSend } from '../../scripts/stripe-send/run';
import { createApp } from '../../src/api/app';
import { createApiMetrics } from '../../src/api/metrics';
import { LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { parseDuration } from '../../src/config/durations';
import { connectMongo } from '../../src/db/connection';
import { createModels, ensureIndexes } from '../../src/db/models';
import { createReadModel } from '../../src/db/read-model';
import { stripeId } from '../../src/dev/stripe-event-builders';
import { createTemporalSignaler } from '../../src/ingest/signal';
import { createLogger } from '../../src/logging/logger';
import { createMailer, type Mailer } from '../../src/mail/mailer';
import { createStripeClient } from '../../src/stripe/client';
import { customerWorkflowId } from '../../workflows/definitions';
import { testStack, uniqueMongoUri } from '../support/stack-env';
import { launchChromium } from './support/browser';
import { startTemporalWithUi, type TemporalWithUi } from './support/temporal-with-ui';
import { quietTemporalRuntime } from '../support/quiet-runtime';

quietTemporalRuntime();

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'temporal-ui-history.png');
const README_IMAGE = join(ROOT, 'docs', 'images', 'temporal-ui-history.png');
/** The UI polls the server and renders lazily; generous, but far below the test's timeout. */
const UI_TIMEOUT_MS = 45_000;
/**
 * Dunning in seconds instead of days, so the cancellation scenario ends within the test. The
 * worker and the CLI (which waits out DUNNING_CANCEL before sending the deletion) share it.
 */
const SHORT_DUNNING = { reminders: '4 seconds', grace: '8 seconds', cancel: '12 seconds' };

jest.setTimeout(240_000);

describe('the Temporal UI in a browser', () => {
  const logger = createLogger({ level: 'silent' });
  const taskQueue = `ui-check-${Date.now()}`;
  let temporal: TemporalWithUi;
  let mongo: MongoConnection;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let mailer: Mailer;
  let server: Server;
  let webhookUrl: string;
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    const stack = testStack();
    temporal = await startTemporalWithUi(stack.temporalBin);
    mongo = await connectMongo(uniqueMongoUri('temporal_ui'));
    const models = createModels(mongo);
    await ensureIndexes(models);
    mailer = createMailer({ smtpUrl: stack.smtpUrl, from: 'Citrus Host Billing <billing@x.test>' });
    connection = await Connection.connect({ address: temporal.address });
    nativeConnection = await NativeConnection.connect({ address: temporal.address });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      activities: createActivities({
        models,
        stripe: createStripeClient({
          stripe: {
            webhookSecrets: [LOCAL_DEV_WEBHOOK_SECRET],
            toleranceSeconds: 300,
            secretKey: undefined,
            apiBase: new URL(stack.stripeApiBase),
          },
        }),
        mailer,
        logger,
        config: {
          dunning: {
            remindersMs: [parseDuration(SHORT_DUNNING.reminders)],
            graceMs: parseDuration(SHORT_DUNNING.grace),
            cancelMs: parseDuration(SHORT_DUNNING.cancel),
          },
          customerIdleTimeoutMs: parseDuration('30 days'),
          maxEventsPerRun: 500,
        },
      }),
      workflowBundle: { codePath: stack.workflowBundlePath },
    });
    running = worker.run();
    const app = createApp({
      config: {
        stripe: {
          webhookSecrets: [LOCAL_DEV_WEBHOOK_SECRET],
          toleranceSeconds: 300,
          secretKey: undefined,
          apiBase: undefined,
        },
        adminApiToken: 'ui-check-admin-token-with-enough-length',
      },
      signaler: createTemporalSignaler({
        client: new Client({ connection }),
        taskQueue,
        rpcTimeoutMs: 4000,
      }),
      readModel: createReadModel(mongo),
      logger,
      metrics: createApiMetrics(),
      readiness: { isReady: () => true },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/subscription/webhook`;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    worker?.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
    mailer?.close();
    await mongo?.close();
    await temporal?.stop();
  });

  it('finds the customer by StripeCustomerId and shows the stripeEvent signals and activity summaries', async () => {
    const customer = stripeId('cus');
    await playScenario('payment-recovered', customer);
    await waitForHistory(customer, { signals: 8 });

    await inHistoryPage(customer, async (shown, page) => {
      await visible(shown('stripeEvent'), 'the stripeEvent signal');
      // Events that were queued together share one projection ("project 8 events: evt_... ;
      // ..."), so whether the checkout has a projection of its own depends on timing.
      await visible(
        shown(/project (\d+ events: )?evt_\w+ checkout\.session\.completed/),
        'the summary of the activity that projected the checkout',
      );
      await visible(
        shown(/e-mail payment_recovered \(in_\w+:recovered\)/),
        'the summary of the activity that sent the payment-received e-mail',
      );
      // Oldest first, so the picture shows the signals arriving and the activities they caused.
      await page.getByRole('button', { name: 'Descending' }).click();
      await visible(page.getByRole('button', { name: 'Ascending' }), 'the Ascending toggle');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
      // The README's picture changes only on request, so a test run leaves the tree clean.
      if (process.env.UPDATE_README_SCREENSHOT === '1') {
        mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
        copyFileSync(SCREENSHOT, README_IMAGE);
      }
    });
  });

  it('shows the workflow canceling in Stripe when payment-failed-canceled runs with short dunning', async () => {
    const customer = stripeId('cus');
    const subscription = stripeId('sub');
    await playScenario('payment-failed-canceled', customer, ['--subscription', subscription], {
      DUNNING_REMINDERS: SHORT_DUNNING.reminders,
      DUNNING_GRACE: SHORT_DUNNING.grace,
      DUNNING_CANCEL: SHORT_DUNNING.cancel,
    });
    await waitForHistory(customer, { signals: 7, activity: 'cancelSubscription' });

    await inHistoryPage(customer, async (shown) => {
      await visible(
        shown(`cancel ${subscription} in Stripe`),
        'the summary of the activity that canceled the subscription',
      );
    });
  });

  async function playScenario(
    scenario: string,
    customer: string,
    extraArgs: string[] = [],
    env: NodeJS.ProcessEnv = {},
  ): Promise<void> {
    const output: string[] = [];
    const code = await runStripeSend(
      ['--scenario', scenario, '--customer', customer, '--url', webhookUrl, ...extraArgs],
      { env: { NODE_ENV: 'test', ...env }, out: (line) => output.push(line) },
    );
    if (code !== 0) throw new Error(`stripe:send exited ${code}:\n${output.join('\n')}`);
  }

  /** Finds the customer the way the billing team does, opens its history, and runs `check`. */
  async function inHistoryPage(
    customer: string,
    check: (shown: (text: string | RegExp) => Locator, page: Page) => Promise<void>,
  ): Promise<void> {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const query = `StripeCustomerId="${customer}"`;
      await page.goto(
        `${temporal.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`,
      );
      const link = page.getByRole('link', { name: customerWorkflowId(customer) }).first();
      await link.waitFor({ state: 'visible' });
      await link.click();
      await page.waitForURL(/\/workflows\/customer-cus_[^/]+\/[^/]+\/history/);
      // The UI also renders hidden copies of each label (tooltips, the minimized view).
      await check((text) => page.getByText(text).filter({ visible: true }).first(), page);
    } catch (error) {
      await saveDiagnostics(page);
      throw new Error(
        `${(error as Error).message}\nPage URL: ${page.url()}\nSee test-artifacts/temporal-ui-failure.{png,txt}.`,
        { cause: error },
      );
    } finally {
      await page.close();
    }
  }

  /** The UI reads what the server has; wait until the worker has run the scenario's tasks. */
  async function waitForHistory(
    customer: string,
    expected: { signals: number; activity?: string },
  ): Promise<void> {
    const handle = new Client({ connection }).workflow.getHandle(customerWorkflowId(customer));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const events = (await handle.fetchHistory()).events ?? [];
      const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
      const activities = events
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter((name): name is string => Boolean(name));
      const done = events.some((e) => e.activityTaskCompletedEventAttributes);
      if (
        signals >= expected.signals &&
        done &&
        (expected.activity === undefined || activities.includes(expected.activity))
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `After 60 s the workflow has ${signals} of ${expected.signals} signals and ran ` +
            `[${[...new Set(activities)].join(', ')}]; expected ${expected.activity ?? 'any activity'}.`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});

async function visible(locator: Locator, what: string): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible' });
  } catch (error) {
    throw new Error(`The history page does not show ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function saveDiagnostics(page: Page): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page
    .screenshot({ path: join(ARTIFACTS, 'temporal-ui-failure.png'), fullPage: true })
    .catch(() => undefined);
  const text = await page
    .locator('body')
    .innerText()
    .catch(() => '(no page text)');
  writeFileSync(join(ARTIFACTS, 'temporal-ui-failure.txt'), `${page.url()}\n\n${text}`);
}
