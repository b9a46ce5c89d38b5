/**
 * Outbox-first e-mail. The outbox document (one per key, `<invoiceId>:<step>`) is written before
 * anything is sent and marked `sent` after, so a retried or replayed activity finds it and
 * sends nothing.
 *
 * The window that remains: SMTP has no idempotency. If the worker dies after the SMTP server
 * accepted the message but before `sent` was written (or that write fails), the retry sends the
 * e-mail once more. At most one duplicate per crash in that gap of milliseconds; the copies
 * share a Message-ID derived from the key, so servers and clients that dedupe by it show one.
 */
import type { Models, NotificationDoc } from '../src/db/models';
import { isDuplicateKeyError } from '../src/db/duplicate-key';
import type { Logger } from '../src/logging/logger';
import type { Mailer } from '../src/mail/mailer';
import { renderNotification } from '../src/mail/templates';
import type { StripeApi } from '../src/stripe/api';
import { classifyStripeError } from '../src/stripe/errors';
import type {
  NotificationTemplate,
  SendNotificationInput,
  SendNotificationResult,
} from './contract';
import {
  invalidInput,
  optionalIsoDate,
  requireCustomerId,
  requireNumber,
  requireText,
} from './invalid-input';

const TEMPLATES: readonly NotificationTemplate[] = [
  'payment_failed',
  'payment_reminder',
  'access_suspended',
  'subscription_canceled',
  'payment_recovered',
];

interface Deps {
  models: Models;
  stripe: StripeApi;
  mailer: Mailer;
  logger: Logger;
  config: { mailRedirectTo?: string | undefined };
}

export async function sendNotification(
  deps: Deps,
  input: SendNotificationInput,
): Promise<SendNotificationResult> {
  validate(input);
  const { models, logger } = deps;
  const meta = { key: input.key, customerId: input.customerId, template: input.template };

  const entry = await claimOutboxEntry(models, input);
  if (entry.status === 'sent') {
    logger.info({ ...meta, status: 'already_sent' }, 'notification skipped');
    return { status: 'already_sent' };
  }
  if (entry.status === 'no_recipient') return { status: 'no_recipient' };

  const recipient = await resolveRecipient(deps, input.customerId);
  if (!recipient) {
    await models.Notification.updateOne(
      { _id: input.key, status: 'pending' },
      { $set: { status: 'no_recipient' } },
    ).exec();
    logger.warn({ ...meta, status: 'no_recipient' }, 'notification has no recipient');
    return { status: 'no_recipient' };
  }

  const mail = renderNotification(input.template, input.data);
  const messageId = `<${encodeURIComponent(input.key)}.${input.customerId}@citrus-subscriptions>`;
  await deps.mailer.send({
    to: recipient,
    ...mail,
    messageId,
    headers: { 'X-Citrus-Notification-Key': input.key },
  });
  // The gap between the line above and the one below is the resend window described on top.
  await models.Notification.updateOne(
    { _id: input.key },
    { $set: { status: 'sent', sentAt: new Date(), messageId } },
  ).exec();
  logger.info({ ...meta, status: 'sent', attempt: entry.attempts }, 'notification sent');
  return { status: 'sent' };
}

/** Inserts the outbox entry once, counting attempts, and returns it as stored. */
async function claimOutboxEntry(
  models: Models,
  input: SendNotificationInput,
): Promise<NotificationDoc> {
  const claim = () =>
    models.Notification.findOneAndUpdate(
      { _id: input.key },
      {
        $setOnInsert: {
          key: input.key,
          customerId: input.customerId,
          template: input.template,
          invoiceId: input.data.invoiceId,
          status: 'pending',
          createdAt: new Date(),
          sentAt: null,
          messageId: null,
        },
        $inc: { attempts: 1 },
      },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
    )
      .lean<NotificationDoc>()
      .exec();
  let entry: NotificationDoc | null;
  try {
    entry = await claim();
  } catch (error) {
    // A concurrent attempt inserted the key first; the second try finds its document.
    if (!isDuplicateKeyError(error)) throw error;
    entry = await claim();
  }
  if (!entry) throw new Error(`The outbox entry ${input.key} was not returned after its upsert.`);
  return entry;
}

/**
 * The customer's e-mail: cached on the customer document, else read from Stripe and cached.
 * Never logged. Returns null when Stripe has no e-mail or the customer was deleted. Outside
 * production, MAIL_REDIRECT_TO replaces it, so a local stack on stripe-mock still sends mail.
 */
async function resolveRecipient(deps: Deps, customerId: string): Promise<string | null> {
  if (deps.config.mailRedirectTo) return deps.config.mailRedirectTo;
  const cached = await deps.models.Customer.findOne({ _id: customerId }, { email: 1 })
    .lean<{ email?: string | null }>()
    .exec();
  if (cached?.email) return cached.email;

  let customer: Awaited<ReturnType<StripeApi['customers']['retrieve']>>;
  try {
    customer = await deps.stripe.customers.retrieve(customerId);
  } catch (error) {
    if (classifyStripeError(error) === 'not_found') return null;
    throw error;
  }
  if (customer.deleted === true || !customer.email) return null;
  // No upsert: the projection creates the customer document, guarded by its watermark; a
  // document created here without one would block the projection's first insert.
  await deps.models.Customer.updateOne(
    { _id: customerId },
    { $set: { email: customer.email } },
  ).exec();
  return customer.email;
}

function validate(input: SendNotificationInput): void {
  requireText(input.key, 'key', 255);
  requireCustomerId(input.customerId);
  if (!TEMPLATES.includes(input.template)) {
    throw invalidInput(`template must be one of ${TEMPLATES.join(', ')}.`);
  }
  const data = input.data;
  if (!data) throw invalidInput('data is required.');
  requireText(data.invoiceId, 'data.invoiceId', 255);
  requireNumber(data.amountDue, 'data.amountDue');
  if (typeof data.currency !== 'string' || !/^[a-z]{3}$/i.test(data.currency)) {
    throw invalidInput('data.currency must be a three-letter ISO currency code like "usd".');
  }
  if (data.hostedInvoiceUrl !== null && !/^https?:\/\//.test(String(data.hostedInvoiceUrl))) {
    throw invalidInput('data.hostedInvoiceUrl must be an http(s) URL or null.');
  }
  optionalIsoDate(data.suspendAt, 'data.suspendAt');
  optionalIsoDate(data.cancelAt, 'data.cancelAt');
}
