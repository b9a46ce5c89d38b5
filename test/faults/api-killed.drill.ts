/**
 * Drill: the API process is SIGKILLed during a burst. Every delivery that got a 2xx is applied;
 * those that got no answer (or an error) are applied after Stripe-style redelivery.
 */
import { lifecycleBurst } from './support/events';
import { FaultStack, isAccepted, tally } from './support/fault-stack';
import { sleep } from './support/processes';
import { report } from './support/report';

const stack = new FaultStack({ label: 'api' });

beforeAll(() => stack.start(), 150_000);
afterAll(() => stack.stop(), 60_000);

describe('when the API is killed during a burst', () => {
  it('applies every 2xx delivery, and the unanswered ones after redelivery, each once', async () => {
    const burst = lifecycleBurst(30);
    const delivering = stack.burst(burst.events, 4);
    await sleep(700);
    await stack.api.stop('SIGKILL');
    const results = await delivering;
    const accepted = burst.events.filter((e) => isAccepted(results.get(e.id))).map((e) => e.id);
    const unanswered = burst.events.length - accepted.length;

    await stack.startApi();
    const redelivered = await stack.redeliverUntilAccepted(burst.events, results);

    const expected = burst.events.map((e) => e.id);
    const counts = await stack.converged(expected, burst.customerIds);
    const { lost, doubled } = tally(expected, counts);
    report('API killed', {
      delivered: burst.events.length,
      acceptedBeforeKill: accepted.length,
      withoutAnswer: unanswered,
      redelivered,
      applied: counts.size,
      lost: lost.length,
      doubled: doubled.length,
    });

    expect(accepted.length).toBeGreaterThan(0);
    expect(unanswered).toBeGreaterThan(0);
    expect(tally(accepted, counts).lost).toEqual([]);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
  });
});
