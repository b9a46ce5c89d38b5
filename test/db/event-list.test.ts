import { MAX_LISTED_EVENTS, mergeEventEntries } from '../../src/db/event-list';
import type { CustomerEventEntryDoc } from '../../src/db/models';

const T0 = Date.parse('2027-03-01T10:00:00.000Z');

function entry(eventId: string, createdS: number, appliedMs = T0): CustomerEventEntryDoc {
  return {
    eventId,
    type: 'customer.subscription.updated',
    created: new Date(T0 + createdS * 1000),
    appliedAt: new Date(appliedMs),
    outcome: 'applied',
  };
}

describe('merging a customer event list', () => {
  it('lists the newest Stripe event first', () => {
    const merged = mergeEventEntries([entry('evt_a', 1)], [entry('evt_c', 3), entry('evt_b', 2)]);
    expect(merged.map((e) => e.eventId)).toEqual(['evt_c', 'evt_b', 'evt_a']);
  });

  it('breaks a tie of whole seconds by the later applied time, then by the larger ID', () => {
    const merged = mergeEventEntries(
      [],
      [entry('evt_x', 5, T0), entry('evt_y', 5, T0 + 10), entry('evt_z', 5, T0)],
    );
    expect(merged.map((e) => e.eventId)).toEqual(['evt_y', 'evt_z', 'evt_x']);
  });

  it('keeps the stored record of an event ID that is added again', () => {
    const stored = { ...entry('evt_a', 1), outcome: 'stale' as const };
    const merged = mergeEventEntries([stored], [entry('evt_a', 1, T0 + 99)]);
    expect(merged).toEqual([stored]);
  });

  it('ends in the same list whatever order the additions come in', () => {
    const batches = [
      [entry('evt_1', 1)],
      [entry('evt_3', 3), entry('evt_1', 1)],
      [entry('evt_2', 2)],
    ];
    const forward = batches.reduce<CustomerEventEntryDoc[]>(
      (list, added) => mergeEventEntries(list, added),
      [],
    );
    const backward = [...batches]
      .reverse()
      .reduce<CustomerEventEntryDoc[]>((list, added) => mergeEventEntries(list, added), []);
    expect(backward).toEqual(forward);
  });

  it('drops the oldest events beyond the cap', () => {
    const many = Array.from({ length: MAX_LISTED_EVENTS + 5 }, (_, i) => entry(`evt_${i}`, i));
    const merged = mergeEventEntries([], many);
    expect(merged).toHaveLength(MAX_LISTED_EVENTS);
    expect(merged.at(-1)?.eventId).toBe('evt_5');
  });
});
