/**
 * Proves that global setup's servers are the real programs, answering the protocols the app uses.
 */
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import nodemailer from 'nodemailer';
import Stripe from 'stripe';
import { existsSync } from 'node:fs';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { testStack, uniqueMongoUri } from '../support/stack-env';
import { createTimeSkippingEnv } from '../support/time-skipping-env';

describe('the test stack', () => {
  it('runs a Temporal dev server with the five custom search attributes registered', async () => {
    const connection = await Connection.connect({ address: testStack().temporalAddress });
    try {
      const response = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      const registered = Object.keys(response.customAttributes ?? {});
      expect(registered).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
      const client = new Client({ connection });
      const namespace = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespace.namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('runs a MongoDB-wire server that stores a mongoose document and reads it back', async () => {
    const db = await mongoose.createConnection(uniqueMongoUri('infra')).asPromise();
    try {
      const Probe = db.model('Probe', new mongoose.Schema({ key: String, amount: Number }));
      await Probe.create({ key: 'probe-1', amount: 1900 });
      const found = await Probe.findOne({ key: 'probe-1' }).lean();
      expect(found?.amount).toBe(1900);
    } finally {
      await db.dropDatabase();
      await db.close();
    }
  });

  it('runs stripe-mock, which answers the Stripe client', async () => {
    const base = new URL(testStack().stripeApiBase);
    const stripe = new Stripe('sk_test_123', {
      host: base.hostname,
      port: Number(base.port),
      protocol: 'http',
    });
    const customer = await stripe.customers.retrieve('cus_infra_probe');
    expect(customer.object).toBe('customer');
  });

  it('runs maildev, whose REST API (/api/email) lists a message sent over SMTP', async () => {
    const { smtpUrl, mailApiUrl } = testStack();
    const subject = `infra probe ${Date.now()}`;
    const transport = nodemailer.createTransport(smtpUrl);
    await transport.sendMail({
      from: 'billing@citrushost.example',
      to: 'probe@example.test',
      subject,
      text: 'hello',
    });
    transport.close();
    const response = await fetch(`${mailApiUrl}/api/email`);
    const messages = (await response.json()) as Array<{ subject: string }>;
    expect(messages.map((m) => m.subject)).toContain(subject);
  });

  it('runs a time-skipping server that skips a day in far less than a day', async () => {
    const env = await createTimeSkippingEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const before = await env.currentTimeMs();
      const wallStart = Date.now();
      await env.sleep('1 day');
      const skipped = (await env.currentTimeMs()) - before;
      expect(skipped).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
      expect(Date.now() - wallStart).toBeLessThan(10_000);
    } finally {
      await env.teardown();
    }
  });

  it('provides the pre-built workflow bundle and the Temporal CLI binary', () => {
    expect(existsSync(testStack().workflowBundlePath)).toBe(true);
    expect(existsSync(testStack().temporalBin)).toBe(true);
  });
});
