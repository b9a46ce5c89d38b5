/** Reads what the SMTP catcher (maildev) received, through its REST API. */
import { testStack } from '../support/stack-env';

export interface CaughtMail {
  subject: string;
  text: string;
  html: string;
  to: Array<{ address: string }>;
  messageId?: string;
  headers: Record<string, string>;
}

export async function mailTo(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${testStack().mailApiUrl}/api/email`);
  if (!response.ok) throw new Error(`The SMTP catcher answered ${response.status} to /api/email.`);
  const all = (await response.json()) as CaughtMail[];
  return all.filter((mail) => mail.to.some((to) => to.address === address));
}

/** Waits until `count` messages for the address arrived (the catcher stores asynchronously). */
export async function waitForMail(
  address: string,
  count: number,
  timeoutMs = 5000,
): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailTo(address);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
