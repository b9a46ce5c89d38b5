/**
 * Reconciliation activities. The factory receives every dependency, so tests pass a Stripe client
 * pointed at a local fake, a recording signaler or the real one, and a real MongoDB connection.
 */
import type { Connection } from 'mongoose';
import type Stripe from 'stripe';
import type { Config } from '../../src/config';
import { HANDLED_EVENT_TYPES } from '../../src/domain/stripe-events';
import type { EventSignaler } from '../../src/ingest/signal';
import type { Logger } from '../../src/logging/logger';
import { reconcileProgressModel } from '../../src/reconcile/checkpoint-model';
import { createCheckpointStore } from '../../src/reconcile/checkpoint-store';
import type { ReconcileMetrics } from '../../src/reconcile/metrics';
import type { ReconcileActivities } from './contract';
import { deliverPage } from './deliver-page';

/** Stripe keeps events for 30 days; the very first run looks back that far. */
const FIRST_RUN_LOOKBACK_SECONDS = 30 * 86_400;

/** The slice of the Stripe client reconciliation uses; a `Stripe` instance satisfies it. */
export interface StripeEventLister {
  events: {
    list(params: Stripe.EventListParams): PromiseLike<{ data: Stripe.Event[]; has_more: boolean }>;
  };
}

export interface ReconcileDependencies {
  stripe: StripeEventLister;
  /** The worker's mongoose connection; the checkpoint lives in `reconcile_checkpoints`. */
  db: Connection;
  signaler: EventSignaler;
  logger: Logger;
  config: Pick<Config, 'reconcile'>;
  metrics?: ReconcileMetrics;
  /** Clock in milliseconds; tests may pin it. */
  now?: () => number;
}

export function createReconcileActivities(deps: ReconcileDependencies): ReconcileActivities {
  const checkpoints = createCheckpointStore(reconcileProgressModel(deps.db));
  const nowSeconds = (): number => Math.floor((deps.now ?? Date.now)() / 1000);
  const overlapSeconds = Math.ceil(deps.config.reconcile.overlapMs / 1000);

  return {
    async planReconciliation(input) {
      const now = nowSeconds();
      if (input.since !== undefined) {
        // On demand: exactly the asked window, never mixed with the scheduled checkpoint.
        const window = {
          gte: input.since,
          lte: input.until ?? now,
          cursor: null,
        };
        return {
          windows: [{ ...window, countMissedAfter: window.gte - 1 }],
          tracked: false,
        };
      }
      const stored = await checkpoints.read();
      const windows = [];
      if (stored.window) windows.push(stored.window);
      const base = stored.window?.lte ?? stored.createdUpTo ?? now - FIRST_RUN_LOOKBACK_SECONDS;
      windows.push({
        gte: Math.max(0, base - overlapSeconds),
        lte: Math.max(base, now),
        cursor: null,
        countMissedAfter: base,
      });
      deps.logger.info(
        {
          resumed: stored.window !== null,
          checkpoint: stored.createdUpTo,
          windows: windows.length,
        },
        'reconciliation planned',
      );
      return { windows, tracked: true };
    },

    async reconcilePage({ window, tracked }) {
      const started = Date.now();
      const list = await deps.stripe.events.list({
        created: { gte: window.gte, lte: window.lte },
        types: [...HANDLED_EVENT_TYPES],
        limit: 100,
        ...(window.cursor ? { starting_after: window.cursor } : {}),
      });
      const counts = await deliverPage(list.data, window, deps);
      const last = list.data[list.data.length - 1];
      const nextCursor = list.has_more && last ? last.id : null;
      // Stored only now: every signal of this page was accepted by Temporal.
      if (tracked && nextCursor !== null) {
        await checkpoints.saveWindow({ ...window, cursor: nextCursor });
      }
      deps.metrics?.listed.inc(counts.listed);
      deps.metrics?.signaled.inc(counts.signaled);
      deps.metrics?.missedByWebhook.inc(counts.missedByWebhook);
      deps.metrics?.invalid.inc(counts.invalid);
      deps.logger.info(
        {
          ...counts,
          gte: window.gte,
          lte: window.lte,
          hasMore: nextCursor !== null,
          ms: Date.now() - started,
        },
        'reconciliation page delivered',
      );
      return { ...counts, nextCursor };
    },

    async completeWindow({ window, tracked }) {
      if (!tracked) return { checkpoint: null };
      const checkpoint = await checkpoints.completeWindow(window);
      deps.logger.info(
        { checkpoint, gte: window.gte, lte: window.lte },
        'reconciliation window done',
      );
      return { checkpoint };
    },
  };
}
