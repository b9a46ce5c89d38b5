/**
 * Drill: the Temporal server stops. Deliveries get 503 (never a 2xx, so Stripe retries); once it
 * is back on the same state file, Stripe-style redelivery gets every event applied exactly once.
 */
import { lifecycleBurst } from './support/events';
import { FaultStack, isAccepted, tally } from './support/fault-stack';
import { report } from './support/report';

const stack = new FaultStack({ label: 'temporal' });

beforeAll(() => stack.start(), 150_000);
afterAll(() => stack.stop(), 60_000);

describe('when the Temporal server is down', () => {
  it('answers 503 to every delivery, then applies each event once after a restart and redelivery', async () => {
    const before = lifecycleBurst(5);
    const first = await stack.burst(before.events);
    expect([...first.values()].every((status) => status === 200)).toBe(true);

    await stack.temporal.stop('SIGTERM');
    const during = lifecycleBurst(5);
    const outage = await stack.burst(during.events);
    const statuses = [...outage.values()];

    await stack.restartTemporal();
    const redelivered = await stack.redeliverUntilAccepted(during.events, outage);
    // Stripe may also deliver the earlier events again; they must not be applied twice.
    await stack.burst(before.events);

    const customers = [...before.customerIds, ...during.customerIds];
    const expected = [...before.events, ...during.events].map((e) => e.id);
    const counts = await stack.converged(expected, customers);
    const { lost, doubled } = tally(expected, counts);
    report('Temporal down', {
      deliveredDuringOutage: statuses.length,
      statusesDuringOutage: countBy(statuses),
      redelivered,
      duplicatesRedelivered: before.events.length,
      applied: counts.size,
      lost: lost.length,
      doubled: doubled.length,
    });

    expect(statuses.filter(isAccepted)).toEqual([]);
    expect(statuses.every((status) => status === 503)).toBe(true);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
  });
});

function countBy(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
