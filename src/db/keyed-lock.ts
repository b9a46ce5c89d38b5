/**
 * Runs tasks one at a time per key inside this process.
 *
 * Why: FerretDB applies an update by reading the matching document and writing it back, without
 * re-checking the filter at write time (docs/MONGODB-COMPAT.md). Two concurrent watermark-guarded
 * writes for one customer can therefore both pass `seq < n`, and the older can land last. On
 * MongoDB the guard is atomic and this lock only saves a little contention. Serializing writes
 * per customer in the worker closes the race for overlapping activity attempts on one worker;
 * overlap across two workers remains a FerretDB-only gap, documented there.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last task of a key removes the entry, so the map holds only busy keys.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a running or queued task. */
  get size(): number {
    return this.tails.size;
  }
}
