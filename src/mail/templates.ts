/**
 * The five dunning e-mails, each as plain text and simple HTML. Every one that asks for money
 * carries the invoice's hosted URL, where the customer pays or updates the card.
 */
import type { NotificationTemplate, SendNotificationInput } from '../../activities/contract';
import { formatMinorUnits } from './money';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Data = SendNotificationInput['data'];

interface Content {
  subject: string;
  /** Paragraphs, plain text; escaped for HTML. */
  paragraphs: string[];
  /** Whether to add the "pay or update your card" link. */
  payLink: boolean;
}

const BRAND = 'Citrus Host';

const CONTENT: Record<NotificationTemplate, (data: Data, amount: string) => Content> = {
  payment_failed: (data, amount) => ({
    subject: `${BRAND}: your payment of ${amount} failed`,
    paragraphs: [
      `We could not collect ${amount} for invoice ${data.invoiceId}.`,
      'Your sites stay online for now. Please pay the invoice or update your card.',
      ...when(
        data.suspendAt,
        (at) => `If the invoice is still unpaid on ${day(at)}, hosting will be suspended.`,
      ),
    ],
    payLink: true,
  }),
  payment_reminder: (data, amount) => ({
    subject: `${BRAND}: reminder${data.reminderNumber ? ` ${data.reminderNumber}` : ''} - ${amount} is still due`,
    paragraphs: [
      `Invoice ${data.invoiceId} for ${amount} is still unpaid.`,
      ...when(data.suspendAt, (at) => `Hosting will be suspended on ${day(at)} unless it is paid.`),
    ],
    payLink: true,
  }),
  access_suspended: (data, amount) => ({
    subject: `${BRAND}: hosting suspended - ${amount} unpaid`,
    paragraphs: [
      `Because invoice ${data.invoiceId} for ${amount} is unpaid, your hosting is suspended.`,
      'Pay the invoice and your sites come back online automatically.',
      ...when(
        data.cancelAt,
        (at) => `If it is still unpaid on ${day(at)}, the subscription will be canceled.`,
      ),
    ],
    payLink: true,
  }),
  subscription_canceled: (data, amount) => ({
    subject: `${BRAND}: subscription canceled`,
    paragraphs: [
      `Invoice ${data.invoiceId} for ${amount} stayed unpaid, so your subscription is canceled.`,
      'You can subscribe again at any time from your account.',
    ],
    payLink: false,
  }),
  payment_recovered: (data, amount) => ({
    subject: `${BRAND}: payment received, thank you`,
    paragraphs: [
      `We received ${amount} for invoice ${data.invoiceId}.`,
      'Your hosting is fully active.',
    ],
    payLink: false,
  }),
};

export function renderNotification(template: NotificationTemplate, data: Data): RenderedMail {
  const amount = formatMinorUnits(data.amountDue, data.currency);
  const content = CONTENT[template](data, amount);
  const link = content.payLink ? data.hostedInvoiceUrl : null;

  const textParts = [...content.paragraphs];
  if (link) textParts.push(`Pay or update your card: ${link}`);
  textParts.push(`- The ${BRAND} billing team`);

  const htmlParts = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  if (link) {
    htmlParts.push(`<p><a href="${escapeHtml(link)}">Pay or update your card</a></p>`);
  }
  htmlParts.push(`<p>- The ${BRAND} billing team</p>`);

  return {
    subject: content.subject,
    text: textParts.join('\n\n') + '\n',
    html: `<!doctype html><html><body>${htmlParts.join('')}</body></html>`,
  };
}

function when(value: string | null | undefined, line: (value: string) => string): string[] {
  return value ? [line(value)] : [];
}

/** "12 March 2027" from an ISO date, in UTC so the line does not depend on the worker's zone. */
function day(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
