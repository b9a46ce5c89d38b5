/**
 * Sends e-mail through SMTP (nodemailer, `SMTP_URL`). A small interface, so activities can be
 * tested against a fake and the worker can close the pool on shutdown.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Stable Message-ID (derived from the outbox key). If the one-resend window is ever hit, the
   * two copies share it, so mail clients and servers that dedupe by Message-ID show one.
   */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  /** nodemailer connection URL, e.g. smtp://127.0.0.1:1025 or smtps://user:pass@host:465. */
  smtpUrl: string;
  /** From header. */
  from: string;
}

export function createMailer(options: MailerOptions): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return { messageId: String(info.messageId ?? mail.messageId) };
    },
    close() {
      transport.close();
    },
  };
}
