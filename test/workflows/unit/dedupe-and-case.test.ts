import { advanceAttempt, closeCase, extendGrace, openCase } from '../../../workflows/dunning/case';
import {
  DEDUPE_MAX_AGE_MS,
  DEDUPE_MAX_IDS,
  recordApplied,
  wasApplied,
} from '../../../workflows/customer/dedupe';
import { emptyCustomerState } from '../../../workflows/customer/state';
import { toCustomerView } from '../../../workflows/customer/view';
import { invoiceEvent } from '../support/events';
import { deliver, TEST_POLICY } from '../support/lifecycle';

const DAY = 86_400_000;
const failed = (attempt: number, next: number | null = null) =>
  invoiceEvent(
    'invoice.payment_failed',
    { id: 'in_1', subscriptionId: 'sub_1', attemptCount: attempt },
    { created: 100 + attempt, nextPaymentAttempt: next },
  );

describe('the dedupe window', () => {
  it('remembers an applied event and moves the watermark', () => {
    const state = recordApplied(emptyCustomerState('cus_1', 0), 'evt_1', 10);
    expect(wasApplied(state, 'evt_1')).toBe(true);
    expect(wasApplied(state, 'evt_2')).toBe(false);
    expect(state).toMatchObject({ seq: 1, lastActivityAt: 10 });
  });

  it('forgets IDs older than its age bound', () => {
    let state = recordApplied(emptyCustomerState('cus_1', 0), 'evt_old', 0);
    state = recordApplied(state, 'evt_new', DEDUPE_MAX_AGE_MS + 1);
    expect(wasApplied(state, 'evt_old')).toBe(false);
    expect(wasApplied(state, 'evt_new')).toBe(true);
  });

  it('keeps at most its count bound, dropping the oldest first', () => {
    let state = emptyCustomerState('cus_1', 0);
    for (let i = 0; i <= DEDUPE_MAX_IDS; i++) state = recordApplied(state, `evt_${i}`, i);
    expect(state.appliedEvents).toHaveLength(DEDUPE_MAX_IDS);
    expect(wasApplied(state, 'evt_0')).toBe(false);
    expect(wasApplied(state, `evt_${DEDUPE_MAX_IDS}`)).toBe(true);
  });
});

describe('a dunning case', () => {
  it('schedules every step from the first failure', () => {
    const opened = openCase(failed(1), TEST_POLICY, 1000);
    expect(opened.steps.map((s) => [s.name, s.dueAt - 1000])).toEqual([
      ['notice', 0],
      ['reminder-1', 3 * DAY],
      ['reminder-2', 5 * DAY],
      ['suspend', 7 * DAY],
      ['cancel', 14 * DAY],
    ]);
  });

  it('raises the attempt but never lowers it or brings back an earlier retry date', () => {
    const opened = openCase(failed(2, 500), TEST_POLICY, 0);
    expect(advanceAttempt(opened, failed(1, 400))).toBe(opened);
    expect(advanceAttempt(opened, failed(3, 600))).toMatchObject({
      attempt: 3,
      nextPaymentAttempt: 600,
    });
  });

  it('moves only pending suspension and cancellation when grace is extended', () => {
    const opened = openCase(failed(1), TEST_POLICY, 0);
    const extended = extendGrace(opened, DAY);
    expect(extended.steps.map((s) => s.dueAt)).toEqual([0, 3 * DAY, 5 * DAY, 8 * DAY, 15 * DAY]);
    expect(extended.graceExtensionMs).toBe(DAY);
  });

  it('stays closed with its first outcome', () => {
    const closed = closeCase(openCase(failed(1), TEST_POLICY, 0), 'recovered', 5);
    expect(closeCase(closed, 'waived', 9)).toBe(closed);
  });
});

describe('the reducer and the view', () => {
  it('opens dunning for a failure; the success closes it and a late failure opens nothing', () => {
    let state = deliver(emptyCustomerState('cus_Test123', 0), failed(1), 0);
    expect(state.dunning.in_1).toMatchObject({ stage: 'payment_failed', attempt: 1 });
    const paid = invoiceEvent(
      'invoice.payment_succeeded',
      { id: 'in_1', subscriptionId: 'sub_1' },
      { created: 200 },
    );
    state = deliver(state, paid, 10);
    expect(state.dunning.in_1?.outcome).toBe('recovered');
    expect(toCustomerView(state).dunning).toBeNull();
    // A late failure of the paid invoice opens nothing.
    const late = deliver(state, failed(4), 20);
    expect(late.dunning.in_1?.outcome).toBe('recovered');
    expect(late.seq).toBe(3);
  });
});
