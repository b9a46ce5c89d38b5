/**
 * Runs a real delivery path (API and worker as child processes, their stdout and stderr
 * captured) through accepted, rejected and dunning deliveries and a read API call, then checks
 * that the logs hold no secret, no signature header, no admin token and no payload field.
 */
import { LOCAL_DEV_WEBHOOK_SECRET } from '../../src/config';
import { dunningStart } from '../faults/support/events';
import { DRILL_ADMIN_TOKEN, FaultStack } from '../faults/support/fault-stack';
import { eventually } from '../faults/support/processes';
import { drillEmail } from '../faults/support/stripe-recorder';
import { FIXTURE_EMAIL, signedRequest } from '../support/stripe-fixtures';

const stack = new FaultStack({
  label: 'logs',
  env: { DUNNING_REMINDERS: '1s', DUNNING_GRACE: '2s', DUNNING_CANCEL: '3s', LOG_LEVEL: 'debug' },
});

beforeAll(() => stack.start(), 150_000);
afterAll(() => stack.stop(), 60_000);

describe('the logs of a real run', () => {
  it('hold no secret, signature header, admin token or e-mail address', async () => {
    const dunning = dunningStart();
    const signatures: string[] = [];
    for (const event of dunning.events) {
      const { body, headers } = signedRequest(event);
      signatures.push(headers['stripe-signature']);
      const res = await fetch(`${stack.apiBase}/api/subscription/webhook`, {
        method: 'POST',
        body,
        headers,
      });
      expect(res.status).toBe(200);
    }
    // A rejected delivery: its header must not be logged either.
    const forged = signedRequest(dunning.events[0] as object, 'whsec_forged_by_someone_else');
    signatures.push(forged.headers['stripe-signature']);
    const rejected = await fetch(`${stack.apiBase}/api/subscription/webhook`, {
      method: 'POST',
      body: forged.body,
      headers: forged.headers,
    });
    expect(rejected.status).toBe(401);
    // Dunning runs to the end: e-mails to the customer's address and the Stripe cancel.
    await eventually(async () => {
      const read = await fetch(
        `${stack.apiBase}/api/subscription/customers/${dunning.customerId}`,
        { headers: { authorization: `Bearer ${DRILL_ADMIN_TOKEN}` } },
      );
      const view = (await read.json()) as { dunning: unknown };
      if (view.dunning !== null || !/subscription_canceled|:cancel/.test(stack.worker.logs())) {
        throw new Error('dunning still running');
      }
    }, 60_000);
    await fetch(`${stack.apiBase}/api/subscription/customers/${dunning.customerId}`, {
      headers: { authorization: `Bearer ${'x'.repeat(40)}` },
    });

    const logs = stack.api.logs() + stack.worker.logs();
    expect(logs).toMatch(/"msg":"webhook delivery"/);
    expect(logs).toMatch(/"msg":"notification sent"/);
    const forbidden = [
      LOCAL_DEV_WEBHOOK_SECRET,
      'whsec_',
      DRILL_ADMIN_TOKEN,
      FIXTURE_EMAIL,
      drillEmail(dunning.customerId),
      'Jenny Rosen',
      ...signatures,
      ...signatures.map((s) => s.split(',')[1] ?? s),
    ];
    for (const text of forbidden) expect(logs).not.toContain(text);
    expect(logs).not.toMatch(/t=\d+,v1=/);
    expect(logs).not.toMatch(/[A-Za-z0-9._%+-]+@example\.com/);
  });
});
