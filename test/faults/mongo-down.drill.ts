/**
 * Drill: the MongoDB-wire server stops for 30 s during a burst. The webhook does not need it, so
 * deliveries keep getting 2xx; the projection activities retry, and after the restart (same port,
 * same data) the projection converges with every event once.
 */
import { lifecycleBurst } from './support/events';
import { FaultStack, isAccepted, tally } from './support/fault-stack';
import { sleep } from './support/processes';
import { report } from './support/report';

const OUTAGE_MS = 30_000;
const stack = new FaultStack({ label: 'mongo' });

beforeAll(() => stack.start(), 150_000);
afterAll(() => stack.stop(), 60_000);

describe('when MongoDB is down for 30 s during a burst', () => {
  it('converges after the restart with nothing lost or doubled', async () => {
    const before = lifecycleBurst(10);
    const during = lifecycleBurst(10);
    const burst = {
      customerIds: [...before.customerIds, ...during.customerIds],
      events: [...before.events, ...during.events],
    };
    const delivering = stack.burst(before.events, 2);
    await sleep(500);
    await stack.ferret.stop('SIGTERM');
    const stoppedAt = Date.now();
    const results = new Map([...(await delivering), ...(await stack.burst(during.events, 2))]);
    await sleep(OUTAGE_MS - (Date.now() - stoppedAt));
    await stack.restartFerret();
    const outageMs = Date.now() - stoppedAt;
    const accepted = burst.events.filter((e) => isAccepted(results.get(e.id))).length;
    const redelivered = await stack.redeliverUntilAccepted(burst.events, results);

    const expected = burst.events.map((e) => e.id);
    const counts = await stack.converged(expected, burst.customerIds);
    const { lost, doubled } = tally(expected, counts);
    report('MongoDB down', {
      outageSeconds: Math.round(outageMs / 1000),
      delivered: burst.events.length,
      acceptedFirstTime: accepted,
      redelivered,
      applied: counts.size,
      lost: lost.length,
      doubled: doubled.length,
    });

    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
  });
});
