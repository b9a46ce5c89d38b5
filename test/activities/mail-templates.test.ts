import type { NotificationTemplate } from '../../activities/contract';
import { formatMinorUnits } from '../../src/mail/money';
import { renderNotification } from '../../src/mail/templates';

const data = {
  invoiceId: 'in_T1',
  hostedInvoiceUrl: 'https://invoice.example/in_T1?x=1&y=2',
  amountDue: 1999,
  currency: 'eur',
  suspendAt: '2027-03-08T10:00:00.000Z',
  cancelAt: '2027-03-15T10:00:00.000Z',
  reminderNumber: 2,
};

describe('formatMinorUnits', () => {
  it('divides by the currency own minor unit', () => {
    expect(formatMinorUnits(1999, 'usd')).toBe('$19.99');
    expect(formatMinorUnits(500, 'jpy')).toBe('¥500');
    // Intl separates the code from the amount with a no-break space.
    expect(formatMinorUnits(1000, 'kwd')).toMatch(/^KWD\s1\.000$/);
  });
});

describe('renderNotification', () => {
  it.each<[NotificationTemplate, boolean]>([
    ['payment_failed', true],
    ['payment_reminder', true],
    ['access_suspended', true],
    ['subscription_canceled', false],
    ['payment_recovered', false],
  ])(
    'renders %s with the amount, and the pay link only when money is due (%s)',
    (template, payLink) => {
      const mail = renderNotification(template, data);

      expect(mail.subject).toMatch(/^Citrus Host: /);
      expect(mail.text).toContain('€19.99');
      expect(mail.html).toContain('€19.99');
      expect(mail.text.includes('https://invoice.example/in_T1?x=1&y=2')).toBe(payLink);
      expect(mail.html.includes('href="https://invoice.example/in_T1?x=1&amp;y=2"')).toBe(payLink);
    },
  );

  it('names the suspension and cancellation days', () => {
    expect(renderNotification('payment_failed', data).text).toContain('8 March 2027');
    expect(renderNotification('access_suspended', data).text).toContain('15 March 2027');
    expect(renderNotification('payment_reminder', data).subject).toBe(
      'Citrus Host: reminder 2 - €19.99 is still due',
    );
  });

  it('escapes HTML in values', () => {
    const mail = renderNotification('payment_failed', { ...data, invoiceId: '<b>in</b>' });
    expect(mail.html).toContain('&lt;b&gt;in&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>in</b>');
  });
});
