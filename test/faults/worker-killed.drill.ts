/**
 * Drill: the worker is SIGKILLed in the middle of a burst and again in the middle of dunning,
 * then started again. Every accepted event is applied once, every dunning e-mail is sent once,
 * and the Stripe cancel is made once.
 */
import { dunningStart, lifecycleBurst } from './support/events';
import { FaultStack, isAccepted, tally } from './support/fault-stack';
import { mailsByKey } from './support/mail';
import { eventually, sleep } from './support/processes';
import { report } from './support/report';

const stack = new FaultStack({
  label: 'worker',
  env: { DUNNING_REMINDERS: '2s,4s', DUNNING_GRACE: '6s', DUNNING_CANCEL: '10s' },
});

beforeAll(() => stack.start(), 150_000);
afterAll(() => stack.stop(), 60_000);

describe('when the worker is killed mid-burst and mid-dunning', () => {
  it('applies every accepted event once, sends each e-mail once and cancels in Stripe once', async () => {
    const dunning = dunningStart();
    for (const event of dunning.events) expect(await stack.deliver(event)).toBe(200);

    const burst = lifecycleBurst(20);
    const delivering = stack.burst(burst.events, 4);
    await sleep(1500);
    await stack.worker.stop('SIGKILL');
    const results = await delivering;
    await stack.startWorker();

    // Second crash while the dunning steps run: wait for its first e-mail, then kill again.
    await eventually(async () => {
      const sent = await mailsByKey([dunning.invoiceId]);
      if (sent.size === 0) throw new Error('no dunning e-mail yet');
    }, 60_000);
    await stack.worker.stop('SIGKILL');
    await stack.startWorker();

    const redelivered = await stack.redeliverUntilAccepted(burst.events, results);
    const expected = [...burst.events, ...dunning.events].map((e) => e.id);
    const customers = [...burst.customerIds, dunning.customerId];
    const counts = await eventually(async () => {
      const found = await stack.appliedEventCounts(customers);
      if (found.size < expected.length) {
        const all = [...burst.events, ...dunning.events];
        const missing = all.filter((e) => !found.has(e.id)).map((e) => e.type);
        throw new Error(
          `${found.size}/${expected.length} applied; missing ${missing.join(', ')}\n` +
            stack.worker.logs().slice(-6000),
        );
      }
      return found;
    }, 90_000);
    const cancelPath = `/v1/subscriptions/${dunning.subscriptionId}`;
    await eventually(async () => {
      if (!stack.stripe.mutations().some((c) => c.path === cancelPath)) {
        throw new Error('dunning has not canceled in Stripe yet');
      }
      const mails = await mailsByKey([dunning.invoiceId]);
      if (![...mails.keys()].some((k) => k.endsWith(':cancel'))) {
        throw new Error(`cancel e-mail not sent yet; sent: ${[...mails.keys()].join(', ')}`);
      }
    }, 60_000);

    const mails = await mailsByKey([dunning.invoiceId]);
    const cancels = stack.stripe.mutations().filter((c) => c.path === cancelPath);
    const { lost, doubled } = tally(expected, counts);
    const mailsDoubled = [...mails].filter(([, n]) => n > 1).map(([key]) => key);
    report('worker killed mid-burst and mid-dunning', {
      delivered: burst.events.length + dunning.events.length,
      accepted: burst.events.filter((e) => isAccepted(results.get(e.id))).length,
      redelivered,
      applied: counts.size,
      lost: lost.length,
      doubled: doubled.length,
      mails: Object.fromEntries(mails),
      mailsDoubled: mailsDoubled.length,
      stripeCancels: cancels.length,
      stripeCancelKeys: [...new Set(cancels.map((c) => c.idempotencyKey))],
    });

    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(mailsDoubled).toEqual([]);
    expect(mails.size).toBeGreaterThanOrEqual(3);
    expect(cancels).toHaveLength(1);
    expect(cancels[0]?.method).toBe('DELETE');
    expect(cancels[0]?.idempotencyKey).toBeDefined();
  });
});
