import type { CustomerRecord } from '../../src/domain/read-model';
import { ADMIN_TOKEN, type Harness, startHarness } from './support/harness';

const CUSTOMER = 'cus_ReadApi0001';

const record: CustomerRecord = {
  customerId: CUSTOMER,
  accountId: 'acct_citrus_1001',
  subscriptionId: 'sub_ReadApi0001',
  status: 'past_due',
  access: 'grace',
  currentPeriodEnd: '2026-01-31T00:00:00.000Z',
  cancelAtPeriodEnd: false,
  dunning: {
    invoiceId: 'in_ReadApi0001',
    stage: 'reminded',
    attempt: 2,
    startedAt: '2026-01-01T00:00:00.000Z',
    nextActionAt: '2026-01-06T00:00:00.000Z',
  },
  updatedAt: '2026-01-04T00:00:00.000Z',
};

describe('read API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    // A stored document may carry more than the contract; none of it may leak.
    h.readModel.customers.set(CUSTOMER, {
      ...record,
      email: 'jenny@example.com',
    } as CustomerRecord);
    h.readModel.events.set(CUSTOMER, [
      {
        eventId: 'evt_2',
        type: 'invoice.payment_failed',
        created: '2026-01-01T00:00:00.000Z',
        appliedAt: '2026-01-01T00:00:01.000Z',
        outcome: 'applied',
      },
      {
        eventId: 'evt_1',
        type: 'customer.subscription.created',
        created: '2025-12-01T00:00:00.000Z',
        appliedAt: '2025-12-01T00:00:01.000Z',
        outcome: 'applied',
      },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  async function get(path: string, authorization?: string) {
    const res = await fetch(`${h.url}/api/subscription/customers/${path}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: res.status, json: await res.json() };
  }

  it('answers 401 without an Authorization header', async () => {
    expect((await get(CUSTOMER)).status).toBe(401);
  });

  it('answers 401 for a wrong token', async () => {
    expect((await get(CUSTOMER, 'Bearer not-the-token')).status).toBe(401);
  });

  it('answers 401 for a token that is a prefix of the right one', async () => {
    expect((await get(CUSTOMER, `Bearer ${ADMIN_TOKEN.slice(0, -1)}`)).status).toBe(401);
  });

  it('answers 401 for the right token in another scheme', async () => {
    expect((await get(CUSTOMER, `Basic ${ADMIN_TOKEN}`)).status).toBe(401);
  });

  it('answers 401 on the events route too', async () => {
    expect((await get(`${CUSTOMER}/events`)).status).toBe(401);
  });

  it('answers 400 for a customer ID not shaped like Stripe’s', async () => {
    const res = await get('not-a-customer', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'malformed_customer_id' });
  });

  it('answers 404 for an unknown customer', async () => {
    const res = await get('cus_Unknown0001', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: 'customer_not_found' });
  });

  it('answers 404 for the events of an unknown customer', async () => {
    expect((await get('cus_Unknown0001/events', `Bearer ${ADMIN_TOKEN}`)).status).toBe(404);
  });

  it('returns exactly the contract fields of a customer', async () => {
    const res = await get(CUSTOMER, `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(record);
  });

  it('returns a customer without dunning with dunning null', async () => {
    h.readModel.customers.set(CUSTOMER, { ...record, dunning: null });
    const res = await get(CUSTOMER, `Bearer ${ADMIN_TOKEN}`);
    expect(res.json).toMatchObject({ dunning: null });
  });

  it('returns the applied events newest first', async () => {
    const res = await get(`${CUSTOMER}/events`, `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(h.readModel.events.get(CUSTOMER));
  });
});
