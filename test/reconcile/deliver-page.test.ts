/** One page through the shared normalize-and-signal path, with a recording signaler. */
import type Stripe from 'stripe';
import { deliverPage } from '../../activities/reconcile/deliver-page';
import type { NormalizedEvent } from '../../src/domain/stripe-events';
import type { EventSignaler } from '../../src/ingest/signal';
import { createLogger } from '../../src/logging/logger';
import { invoicePaid, subscriptionUpdated } from './support/events';
import type { FakeEvent } from './support/fake-stripe-events';

const window = { gte: 1_000, lte: 2_000, cursor: null, countMissedAfter: 1_500 };

function recorder(): EventSignaler & { seen: NormalizedEvent[] } {
  const seen: NormalizedEvent[] = [];
  return {
    seen,
    signal(event) {
      seen.push(event);
      return Promise.resolve({ workflowId: `customer-${event.customerId}`, runId: 'run' });
    },
  };
}

/** The fake's events are plain JSON of the shape Stripe lists; the normalizer reads them so. */
function asListed(events: FakeEvent[]): Stripe.Event[] {
  return JSON.parse(JSON.stringify(events)) as Stripe.Event[];
}

describe('deliverPage', () => {
  const logger = createLogger({ level: 'silent' });

  it('signals each handled event oldest first, marked as coming from reconciliation', async () => {
    const signaler = recorder();
    const newest = invoicePaid({
      id: 'evt_b',
      customerId: 'cus_A',
      created: 1_600,
      invoiceId: 'in_1',
    });
    const oldest = subscriptionUpdated({
      id: 'evt_a',
      customerId: 'cus_A',
      created: 1_200,
      subscriptionId: 'sub_1',
      status: 'active',
    });

    const counts = await deliverPage(asListed([newest, oldest]), window, { signaler, logger });

    expect(signaler.seen.map((e) => [e.id, e.source])).toEqual([
      ['evt_a', 'reconciliation'],
      ['evt_b', 'reconciliation'],
    ]);
    expect(counts).toMatchObject({ listed: 2, signaled: 2, ignored: 0, invalid: 0 });
  });

  it('counts as missed only undelivered events newer than the previous checkpoint', async () => {
    const signaler = recorder();
    const spec = { customerId: 'cus_A', invoiceId: 'in_1', pendingWebhooks: 1 };
    const events = [
      invoicePaid({ ...spec, id: 'evt_new_missed', created: 1_600 }),
      invoicePaid({ ...spec, id: 'evt_new_delivered', created: 1_700, pendingWebhooks: 0 }),
      // Inside the overlap: an earlier window already counted it.
      invoicePaid({ ...spec, id: 'evt_overlap_missed', created: 1_400 }),
    ];

    const counts = await deliverPage(asListed(events), window, { signaler, logger });

    expect(counts).toMatchObject({ signaled: 3, missedByWebhook: 1 });
  });

  it('skips a guest checkout and a malformed customer without signaling them', async () => {
    const signaler = recorder();
    const guest = invoicePaid({
      id: 'evt_guest',
      customerId: 'cus_X',
      created: 1_600,
      invoiceId: 'in_g',
    });
    guest.data.object.customer = null;
    const malformed = invoicePaid({
      id: 'evt_bad',
      customerId: 'cus_X',
      created: 1_600,
      invoiceId: 'in_b',
    });
    malformed.data.object.customer = 'not-a-customer';

    const counts = await deliverPage(asListed([guest, malformed]), window, { signaler, logger });

    expect(signaler.seen).toHaveLength(0);
    expect(counts).toMatchObject({ listed: 2, signaled: 0, ignored: 1, invalid: 1 });
  });

  it('fails the page when Temporal refuses a signal, so the page is retried', async () => {
    const refusing: EventSignaler = {
      signal: () => Promise.reject(new Error('Temporal unavailable')),
    };
    const event = invoicePaid({
      id: 'evt_a',
      customerId: 'cus_A',
      created: 1_600,
      invoiceId: 'in_1',
    });

    await expect(
      deliverPage(asListed([event]), window, { signaler: refusing, logger }),
    ).rejects.toThrow('Temporal unavailable');
  });
});
