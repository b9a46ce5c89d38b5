/**
 * Reads and writes the reconciliation checkpoint. Writes only move forward: the checkpoint uses
 * `$max`, and a window is forgotten only by the run that finished it, so a late or retried write
 * can never send the next run back over ground it must not skip, nor past events it has not seen.
 */
import type { Model } from 'mongoose';
import {
  STRIPE_EVENTS_CHECKPOINT,
  type ReconcileProgressDoc,
  type StoredWindow,
} from './checkpoint-model';

export interface CheckpointState {
  /** Unix seconds up to which every event was signaled, or null before the first run. */
  createdUpTo: number | null;
  /** A window an earlier run left unfinished. */
  window: StoredWindow | null;
}

export interface CheckpointStore {
  read(): Promise<CheckpointState>;
  /** Records the cursor after a page whose signals were all accepted. */
  saveWindow(window: StoredWindow): Promise<void>;
  /** Advances the checkpoint to the window's upper bound and clears the window. */
  completeWindow(window: StoredWindow): Promise<number>;
}

export function createCheckpointStore(
  model: Model<ReconcileProgressDoc>,
  name: string = STRIPE_EVENTS_CHECKPOINT,
): CheckpointStore {
  return {
    async read() {
      const doc = await model.findOne({ name }).lean();
      if (!doc) return { createdUpTo: null, window: null };
      const window = doc.window ?? null;
      return {
        createdUpTo: doc.createdUpTo,
        window: window && {
          gte: window.gte,
          lte: window.lte,
          cursor: window.cursor ?? null,
          countMissedAfter: window.countMissedAfter,
        },
      };
    },

    async saveWindow(window) {
      await model.updateOne(
        { name },
        {
          $set: { window, updatedAt: new Date() },
          // The first run ever: nothing before the window's lower edge will be listed again.
          $setOnInsert: { createdUpTo: window.countMissedAfter },
        },
        { upsert: true },
      );
    },

    async completeWindow(window) {
      await model.updateOne(
        { name },
        { $max: { createdUpTo: window.lte }, $set: { updatedAt: new Date() } },
        { upsert: true },
      );
      await model.updateOne({ name, 'window.lte': window.lte }, { $set: { window: null } });
      const doc = await model.findOne({ name }).lean();
      return doc?.createdUpTo ?? window.lte;
    },
  };
}
