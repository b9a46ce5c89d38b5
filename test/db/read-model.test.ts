import { projectState } from '../../activities/project-state';
import { createReadModel } from '../../src/db/read-model';
import type { ReadModel } from '../../src/domain/read-model';
import { dunningCase, projectionInput, subscriptionState, T0 } from './projection-fixtures';
import { openTestDatabase, type TestDatabase } from './test-database';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the read model over the projection', () => {
  let db: TestDatabase;
  let readModel: ReadModel;

  beforeAll(async () => {
    db = await openTestDatabase('read_model');
    readModel = createReadModel(db.connection);
  });
  afterAll(() => db.close());

  it('returns the customer in the read API shape, with ISO dates and the open dunning case', async () => {
    await projectState(
      db.models,
      projectionInput({
        customerId: 'cus_Read1',
        seq: 2,
        subscriptions: [subscriptionState({ id: 'sub_R1', status: 'past_due' })],
        access: 'grace',
        dunningCases: [dunningCase({ invoiceId: 'in_R1', attempt: 2 })],
      }),
    );

    const record = await readModel.getCustomer('cus_Read1');

    expect(record).toEqual({
      customerId: 'cus_Read1',
      accountId: 'acct_citrus_42',
      subscriptionId: 'sub_R1',
      status: 'past_due',
      access: 'grace',
      currentPeriodEnd: new Date(T0 + 30 * 86_400_000).toISOString(),
      cancelAtPeriodEnd: false,
      dunning: {
        invoiceId: 'in_R1',
        stage: 'payment_failed',
        attempt: 2,
        startedAt: new Date(T0).toISOString(),
        nextActionAt: new Date(T0 + 3 * 86_400_000).toISOString(),
      },
      updatedAt: new Date(T0 + 2000).toISOString(),
    });
  });

  it('answers null for a customer it has never seen', async () => {
    expect(await readModel.getCustomer('cus_Never')).toBeNull();
  });

  it('never exposes the state snapshot or the cached e-mail address', async () => {
    await projectState(db.models, projectionInput({ customerId: 'cus_Read2', seq: 1 }));
    await db.models.Customer.updateOne(
      { customerId: 'cus_Read2' },
      { $set: { email: 'a@b.example' } },
    );

    const record = await readModel.getCustomer('cus_Read2');

    expect(Object.keys(record ?? {}).sort()).toEqual([
      'access',
      'accountId',
      'cancelAtPeriodEnd',
      'currentPeriodEnd',
      'customerId',
      'dunning',
      'status',
      'subscriptionId',
      'updatedAt',
    ]);
    expect(record?.dunning).toBeNull();
  });

  it('lists events newest first by Stripe created, each event ID once however often it was projected', async () => {
    const customerId = 'cus_Events';
    const created = Math.floor(T0 / 1000);
    const events = [
      { eventId: 'evt_E_b', created: created + 20, outcome: 'applied' as const },
      { eventId: 'evt_E_a', created: created + 10, outcome: 'applied' as const },
      { eventId: 'evt_E_c', created: created + 5, outcome: 'stale' as const },
    ];
    let seq = 0;
    for (const event of [...events, events[0]!, events[2]!]) {
      seq += 1;
      await projectState(
        db.models,
        projectionInput({
          customerId,
          seq,
          event: { ...event, type: 'customer.subscription.updated' },
        }),
      );
    }

    const listed = await readModel.listEvents(customerId);

    expect(listed.map((e) => [e.eventId, e.outcome])).toEqual([
      ['evt_E_b', 'applied'],
      ['evt_E_a', 'applied'],
      ['evt_E_c', 'stale'],
    ]);
    for (const event of listed) {
      expect(Object.keys(event).sort()).toEqual([
        'appliedAt',
        'created',
        'eventId',
        'outcome',
        'type',
      ]);
      expect(event.created).toMatch(ISO);
      expect(event.appliedAt).toMatch(ISO);
    }
    expect(listed[0]?.created).toBe(new Date((created + 20) * 1000).toISOString());
    // The first projection of an event decides its appliedAt; the duplicate changed nothing.
    expect(listed[0]?.appliedAt).toBe(new Date(T0 + 1000).toISOString());
  });

  it('limits the event list to the requested number, newest kept', async () => {
    const listed = await readModel.listEvents('cus_Events', 2);
    expect(listed.map((e) => e.eventId)).toEqual(['evt_E_b', 'evt_E_a']);
  });

  it('lists no events for an unknown customer', async () => {
    expect(await readModel.listEvents('cus_Never')).toEqual([]);
  });
});
