/**
 * Reads the SMTP catcher's REST API: how many messages carry each notification key, so a drill
 * can tell "sent once" from "sent twice" after a crash.
 */
import { testStack } from '../../support/stack-env';

interface CaughtMail {
  headers?: Record<string, string | string[] | undefined>;
}

/** Messages per `X-Citrus-Notification-Key` whose key starts with one of the prefixes. */
export async function mailsByKey(prefixes: string[]): Promise<Map<string, number>> {
  const res = await fetch(`${testStack().mailApiUrl}/api/email`);
  const mails = (await res.json()) as CaughtMail[];
  const counts = new Map<string, number>();
  for (const mail of mails) {
    const raw = mail.headers?.['x-citrus-notification-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key && prefixes.some((p) => key.startsWith(p))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
