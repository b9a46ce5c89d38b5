import { createActivities } from '../../activities';
import type { CustomerActivities } from '../../activities/contract';
import { INVALID_INPUT_ERROR } from '../../activities/invalid-input';
import { projectState } from '../../activities/project-state';
import { createLogger } from '../../src/logging/logger';
import type { Mailer } from '../../src/mail/mailer';
import type { StripeApi } from '../../src/stripe/api';
import { dunningCase, projectionInput, subscriptionState, T0 } from './projection-fixtures';
import { openTestDatabase, type TestDatabase } from './test-database';

/** Projection tests never reach Stripe or SMTP; these fail loudly if they ever do. */
const unreachable = (): never => {
  throw new Error('The projection must not call Stripe or SMTP.');
};
const noStripe: StripeApi = {
  customers: { retrieve: unreachable },
  subscriptions: { retrieve: unreachable, cancel: unreachable },
  invoices: { retrieve: unreachable, pay: unreachable },
};
const noMailer: Mailer = { send: unreachable, close: () => undefined };

describe('projectState against the MongoDB-wire server', () => {
  let db: TestDatabase;
  let activities: CustomerActivities;

  beforeAll(async () => {
    db = await openTestDatabase('project_state');
    activities = createActivities({
      models: db.models,
      stripe: noStripe,
      mailer: noMailer,
      logger: createLogger({ level: 'silent' }),
      config: {
        dunning: { remindersMs: [1], graceMs: 2, cancelMs: 3 },
        customerIdleTimeoutMs: 1000,
        maxEventsPerRun: 10,
      },
    });
  });
  afterAll(() => db.close());

  /** The read API's per-customer list (customer_events), in its stored order. */
  async function listedEventIds(customerId: string): Promise<string[]> {
    const doc = await db.models.CustomerEvents.findById(customerId).lean().exec();
    return doc?.events.map((e) => e.eventId) ?? [];
  }

  it('keys customers, subscriptions and dunning cases by their Stripe IDs, so FerretDB finds them by index', async () => {
    await projectState(
      db.models,
      projectionInput({
        customerId: 'cus_Keyed',
        seq: 1,
        subscriptions: [subscriptionState({ id: 'sub_Keyed' })],
        dunningCases: [dunningCase({ invoiceId: 'in_Keyed' })],
      }),
    );

    const customer = await db.models.Customer.findById('cus_Keyed').lean().exec();
    expect(customer).toMatchObject({ _id: 'cus_Keyed', customerId: 'cus_Keyed', seq: 1 });
    const sub = await db.models.Subscription.findById('sub_Keyed').lean().exec();
    expect(sub).toMatchObject({ subscriptionId: 'sub_Keyed', customerId: 'cus_Keyed' });
    const dunning = await db.models.DunningCase.findById('in_Keyed').lean().exec();
    expect(dunning).toMatchObject({ invoiceId: 'in_Keyed', customerId: 'cus_Keyed' });
  });

  it('writes one event-log document when the same input is projected twice', async () => {
    const input = projectionInput({ customerId: 'cus_Twice', seq: 1 });
    await activities.projectState(input);
    await activities.projectState(input);

    expect(await db.models.AppliedEvent.countDocuments({ customerId: 'cus_Twice' })).toBe(1);
    expect(await db.models.Customer.countDocuments({ customerId: 'cus_Twice' })).toBe(1);
    expect(await db.models.Subscription.countDocuments({ customerId: 'cus_Twice' })).toBe(1);
  });

  it('logs every event of a batch once, in one projection, and a retried batch logs none twice', async () => {
    const input = projectionInput({ customerId: 'cus_Batch', seq: 3, event: null });
    input.events = [1, 2, 3].map((n) => ({
      eventId: `evt_Batch_${n}`,
      type: 'invoice.payment_succeeded',
      created: Math.floor(T0 / 1000) + n,
      outcome: 'applied' as const,
    }));

    const first = await projectState(db.models, input);
    const retried = await projectState(db.models, input);

    expect(first).toMatchObject({ eventsLogged: 3, eventList: 'written' });
    expect(retried).toMatchObject({ eventsLogged: 0, eventList: 'unchanged' });
    expect(await listedEventIds('cus_Batch')).toEqual([
      'evt_Batch_3',
      'evt_Batch_2',
      'evt_Batch_1',
    ]);
    const logged = await db.models.AppliedEvent.find({ customerId: 'cus_Batch' }).lean().exec();
    expect(logged.map((e) => e.eventId).sort()).toEqual([
      'evt_Batch_1',
      'evt_Batch_2',
      'evt_Batch_3',
    ]);
    const customer = await db.models.Customer.findById('cus_Batch').lean().exec();
    expect(customer).toMatchObject({ seq: 3 });
  });

  it('logs the new events of a batch when some of them were logged by an earlier projection', async () => {
    const earlier = projectionInput({ customerId: 'cus_Overlap', seq: 1 });
    await projectState(db.models, earlier);
    const batch = projectionInput({ customerId: 'cus_Overlap', seq: 2, event: null });
    batch.events = [earlier.event!, { ...earlier.event!, eventId: 'evt_Overlap_new' }];

    const result = await projectState(db.models, batch);

    expect(result.eventsLogged).toBe(1);
    expect(await db.models.AppliedEvent.countDocuments({ customerId: 'cus_Overlap' })).toBe(2);
  });

  it('rejects a projection that carries both an event and a batch, and writes nothing', async () => {
    const input = projectionInput({ customerId: 'cus_Both', seq: 1 });
    input.events = [input.event!];

    await expect(activities.projectState(input)).rejects.toMatchObject({
      type: INVALID_INPUT_ERROR,
      nonRetryable: true,
      message: expect.stringContaining('event or events'),
    });
    expect(await db.models.Customer.countDocuments({ customerId: 'cus_Both' })).toBe(0);
  });

  it('does not roll state back when a lower seq arrives after a higher one', async () => {
    const customerId = 'cus_NoRollback';
    const newer = projectionInput({
      customerId,
      seq: 5,
      subscriptions: [subscriptionState({ status: 'past_due' })],
      access: 'grace',
      dunningCases: [dunningCase({ attempt: 2 })],
    });
    const older = projectionInput({
      customerId,
      seq: 4,
      subscriptions: [subscriptionState({ status: 'active' })],
      access: 'active',
      dunningCases: [dunningCase({ attempt: 1 })],
    });

    await activities.projectState(newer);
    const late = await projectState(db.models, older);

    expect(late).toMatchObject({
      customer: 'superseded',
      subscriptions: { written: 0, superseded: 1 },
      dunningCases: { written: 0, superseded: 1 },
    });
    const customer = await db.models.Customer.findOne({ customerId }).lean().exec();
    expect(customer).toMatchObject({ seq: 5, status: 'past_due', access: 'grace' });
    const sub = await db.models.Subscription.findOne({ subscriptionId: 'sub_A1' }).lean().exec();
    expect(sub).toMatchObject({ seq: 5, status: 'past_due' });
    const dunning = await db.models.DunningCase.findOne({ invoiceId: 'in_F1' }).lean().exec();
    expect(dunning).toMatchObject({ seq: 5, attempt: 2 });
    // The late event is still logged: it was applied by the workflow, only its write was late.
    expect(await db.models.AppliedEvent.countDocuments({ customerId })).toBe(2);
    expect(await listedEventIds(customerId)).toEqual([newer.event!.eventId, older.event!.eventId]);
  });

  it('converges to the highest seq whatever order concurrent writes land in', async () => {
    const customerId = 'cus_Converge';
    const inputs = [1, 2, 3, 4, 5, 6, 7, 8].map((seq) =>
      projectionInput({
        customerId,
        seq,
        subscriptions: [
          subscriptionState({ id: 'sub_C1', status: seq % 2 ? 'active' : 'past_due' }),
          subscriptionState({ id: 'sub_C2', status: 'trialing', cancelAtPeriodEnd: seq > 4 }),
        ],
        dunningCases: [dunningCase({ invoiceId: 'in_C1', attempt: seq })],
      }),
    );
    const shuffled = [inputs[5], inputs[1], inputs[7], inputs[0], inputs[3], inputs[6], inputs[2]];
    // Concurrent and out of order, with a duplicate of the newest and the oldest.
    await Promise.all(
      [...shuffled, inputs[7], inputs[4], inputs[0]].map((i) => activities.projectState(i!)),
    );

    const customer = await db.models.Customer.findOne({ customerId }).lean().exec();
    expect(customer).toMatchObject({ seq: 8, status: 'past_due' });
    const subs = await db.models.Subscription.find({ customerId })
      .sort({ subscriptionId: 1 })
      .lean();
    expect(subs.map((s) => [s.subscriptionId, s.seq, s.status, s.cancelAtPeriodEnd])).toEqual([
      ['sub_C1', 8, 'past_due', false],
      ['sub_C2', 8, 'trialing', true],
    ]);
    const dunning = await db.models.DunningCase.findOne({ invoiceId: 'in_C1' }).lean().exec();
    expect(dunning).toMatchObject({ seq: 8, attempt: 8 });
    expect(await db.models.AppliedEvent.countDocuments({ customerId })).toBe(8);
    // The read API's list is a union: every event is listed once, whatever order writes landed in.
    expect(await listedEventIds(customerId)).toEqual(inputs.map((i) => i.event!.eventId).reverse());
  });

  it('writes the newer subscriptions of a batch in which another one is superseded', async () => {
    const customerId = 'cus_Mixed';
    await activities.projectState(
      projectionInput({
        customerId,
        seq: 9,
        subscriptions: [subscriptionState({ id: 'sub_M1', status: 'canceled' })],
      }),
    );
    const result = await projectState(
      db.models,
      projectionInput({
        customerId,
        seq: 9,
        subscriptions: [
          subscriptionState({ id: 'sub_M1', status: 'active' }),
          subscriptionState({ id: 'sub_M2', status: 'active' }),
          subscriptionState({ id: 'sub_M3', status: 'trialing' }),
        ],
        event: null,
      }),
    );

    expect(result.subscriptions).toEqual({ written: 2, superseded: 1 });
    const subs = await db.models.Subscription.find({ customerId })
      .sort({ subscriptionId: 1 })
      .lean();
    expect(subs.map((s) => [s.subscriptionId, s.status])).toEqual([
      ['sub_M1', 'canceled'],
      ['sub_M2', 'active'],
      ['sub_M3', 'trialing'],
    ]);
  });

  it('stores the state snapshot so that a later run loads it back unchanged', async () => {
    const input = projectionInput({
      customerId: 'cus_Snapshot',
      seq: 3,
      dunningCases: [dunningCase({ invoiceId: 'in_S1' })],
    });
    await activities.projectState(input);

    expect(await activities.loadCustomerState('cus_Snapshot')).toEqual(input.state);
    expect(await activities.loadCustomerState('cus_Unknown')).toBeNull();
  });

  it('records dunning steps and the next pending step on the dunning case', async () => {
    await activities.projectState(
      projectionInput({
        customerId: 'cus_Steps',
        seq: 1,
        dunningCases: [dunningCase({ invoiceId: 'in_D1' })],
      }),
    );
    const doc = await db.models.DunningCase.findOne({ invoiceId: 'in_D1' }).lean().exec();
    expect(doc?.nextActionAt?.toISOString()).toBe(new Date(T0 + 3 * 86_400_000).toISOString());
    expect(doc?.steps.map((s) => [s.name, s.doneAt !== null])).toEqual([
      ['notice', true],
      ['reminder-1', false],
      ['suspend', false],
      ['cancel', false],
    ]);
  });

  it('rejects input whose view belongs to another customer, naming the problem, and writes nothing', async () => {
    const input = projectionInput({ customerId: 'cus_Bad', seq: 1 });
    input.view.customerId = 'cus_Other';

    await expect(activities.projectState(input)).rejects.toMatchObject({
      type: INVALID_INPUT_ERROR,
      nonRetryable: true,
      message: expect.stringContaining('view.customerId'),
    });
    expect(await db.models.Customer.countDocuments({ customerId: 'cus_Bad' })).toBe(0);
  });

  it('rejects a malformed customer ID as invalid input', async () => {
    const input = projectionInput({ customerId: 'cus_Ok', seq: 1 });
    input.customerId = 'not-a-customer';

    await expect(activities.projectState(input)).rejects.toMatchObject({
      type: INVALID_INPUT_ERROR,
      nonRetryable: true,
      message: expect.stringContaining('customerId'),
    });
  });

  it('records a billing-team control once per key', async () => {
    const record = {
      customerId: 'cus_Ctl',
      control: 'extendGrace' as const,
      invoiceId: 'in_X1',
      reason: 'called support',
      operator: 'ops-anna',
      key: 'in_X1:extendGrace:4',
      at: T0,
      detail: { by: '3 days' },
    };
    await activities.recordControl(record);
    await activities.recordControl({ ...record, reason: 'a retry must not overwrite' });

    const docs = await db.models.ControlAudit.find({ customerId: 'cus_Ctl' }).lean().exec();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ reason: 'called support', detailJson: '{"by":"3 days"}' });
  });
});
