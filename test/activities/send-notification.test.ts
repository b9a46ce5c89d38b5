import { createActivities } from '../../activities';
import type { CustomerActivities, SendNotificationInput } from '../../activities/contract';
import { INVALID_INPUT_ERROR } from '../../activities/invalid-input';
import { createLogger } from '../../src/logging/logger';
import { createMailer, type Mailer } from '../../src/mail/mailer';
import type { StripeApi } from '../../src/stripe/api';
import { createStripeClient } from '../../src/stripe/client';
import { testStack } from '../support/stack-env';
import { projectionInput } from '../db/projection-fixtures';
import { openTestDatabase, type TestDatabase } from '../db/test-database';
import { mailTo, waitForMail } from './mail-catcher';
import { Writable } from 'node:stream';

const POLICY = {
  dunning: { remindersMs: [1], graceMs: 2, cancelMs: 3 },
  customerIdleTimeoutMs: 1000,
  maxEventsPerRun: 10,
};

function notification(customerId: string, key: string): SendNotificationInput {
  return {
    key,
    customerId,
    template: 'payment_failed',
    data: {
      invoiceId: 'in_N1',
      hostedInvoiceUrl: 'https://invoice.example/in_N1',
      amountDue: 2599,
      currency: 'usd',
      suspendAt: '2027-03-08T10:00:00.000Z',
    },
  };
}

/** A Stripe boundary whose customers all have the given e-mail; counts lookups. */
function stripeWithEmail(email: string | null): StripeApi & { lookups: number } {
  const unused = (): never => {
    throw new Error('not used by sendNotification');
  };
  const fake = {
    lookups: 0,
    customers: {
      retrieve: async (id: string) => {
        fake.lookups += 1;
        return { id, email };
      },
    },
    subscriptions: { retrieve: unused, cancel: unused },
    invoices: { retrieve: unused, pay: unused },
  };
  return fake;
}

describe('sendNotification through the outbox to the SMTP catcher', () => {
  let db: TestDatabase;
  let mailer: Mailer;
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });

  beforeAll(async () => {
    db = await openTestDatabase('send_notification');
    mailer = createMailer({
      smtpUrl: testStack().smtpUrl,
      from: 'Citrus Billing <billing@citrus.example>',
    });
  });
  afterAll(async () => {
    mailer.close();
    await db.close();
  });

  function activitiesWith(stripe: StripeApi): CustomerActivities {
    return createActivities({ models: db.models, stripe, mailer, logger, config: POLICY });
  }

  it('sends one e-mail when the same key is sent twice, and answers already_sent the second time', async () => {
    const address = `twice-${Date.now()}@customer.example`;
    const stripe = stripeWithEmail(address);
    const activities = activitiesWith(stripe);
    await activities.projectState(projectionInput({ customerId: 'cus_Mail1', seq: 1 }));

    const first = await activities.sendNotification(notification('cus_Mail1', 'in_N1:notice'));
    const second = await activities.sendNotification(notification('cus_Mail1', 'in_N1:notice'));

    expect([first.status, second.status]).toEqual(['sent', 'already_sent']);
    await waitForMail(address, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const mails = await mailTo(address);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Citrus Host: your payment of $25.99 failed');
    expect(mails[0]?.text).toContain('https://invoice.example/in_N1');
    expect(mails[0]?.html).toContain('href="https://invoice.example/in_N1"');
    expect(await db.models.Notification.findOne({ key: 'in_N1:notice' }).lean()).toMatchObject({
      status: 'sent',
      attempts: 2,
      customerId: 'cus_Mail1',
    });
  });

  it('sends one e-mail when two attempts with one key run at the same time', async () => {
    const address = `concurrent-${Date.now()}@customer.example`;
    const activities = activitiesWith(stripeWithEmail(address));
    await activities.projectState(projectionInput({ customerId: 'cus_Mail2', seq: 1 }));

    const results = await Promise.all([
      activities.sendNotification(notification('cus_Mail2', 'in_N2:reminder-1')),
      activities.sendNotification(notification('cus_Mail2', 'in_N2:reminder-1')),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['already_sent', 'sent']);
    await waitForMail(address, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailTo(address)).toHaveLength(1);
  });

  it('reads the e-mail from Stripe once and caches it on the customer', async () => {
    const address = `cache-${Date.now()}@customer.example`;
    const stripe = stripeWithEmail(address);
    const activities = activitiesWith(stripe);
    await activities.projectState(projectionInput({ customerId: 'cus_Mail3', seq: 1 }));

    await activities.sendNotification(notification('cus_Mail3', 'in_N3:notice'));
    await activities.sendNotification(notification('cus_Mail3', 'in_N3:suspend'));

    expect(stripe.lookups).toBe(1);
    expect(await waitForMail(address, 2)).toHaveLength(2);
  });

  it('marks the notification no_recipient when Stripe has no e-mail for the customer (stripe-mock)', async () => {
    // stripe-mock's customer fixture has `email: null`.
    const activities = activitiesWith(createStripeClient({ stripe: stripeMockSettings() }));

    const result = await activities.sendNotification(notification('cus_NoMail', 'in_N4:notice'));
    const again = await activities.sendNotification(notification('cus_NoMail', 'in_N4:notice'));

    expect([result.status, again.status]).toEqual(['no_recipient', 'no_recipient']);
    expect(await db.models.Notification.findOne({ key: 'in_N4:notice' }).lean()).toMatchObject({
      status: 'no_recipient',
    });
  });

  it('delivers to MAIL_REDIRECT_TO without asking Stripe when a redirect is configured', async () => {
    const redirect = `redirect-${Date.now()}@customer.example`;
    const stripe = stripeWithEmail(null);
    const activities = createActivities({
      models: db.models,
      stripe,
      mailer,
      logger,
      config: { ...POLICY, mailRedirectTo: redirect },
    });
    await activities.projectState(projectionInput({ customerId: 'cus_Mail6', seq: 1 }));

    const result = await activities.sendNotification(notification('cus_Mail6', 'in_N6:notice'));

    expect(result.status).toBe('sent');
    expect(stripe.lookups).toBe(0);
    expect(await waitForMail(redirect, 1)).toHaveLength(1);
  });

  it('rejects an unknown template as invalid input', async () => {
    const activities = activitiesWith(stripeWithEmail(null));
    const input = {
      ...notification('cus_Mail5', 'in_N5:notice'),
      template: 'hello',
    } as unknown as SendNotificationInput;

    await expect(activities.sendNotification(input)).rejects.toMatchObject({
      type: INVALID_INPUT_ERROR,
      nonRetryable: true,
      message: expect.stringContaining('template'),
    });
  });

  it('never writes an e-mail address to the logs', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/@customer\.example/);
  });
});

function stripeMockSettings() {
  return {
    webhookSecrets: [],
    toleranceSeconds: 300,
    secretKey: undefined,
    apiBase: new URL(testStack().stripeApiBase),
  };
}
