/**
 * MongoDB's duplicate-key error (E11000). With watermark-guarded upserts it means "a document
 * with this key exists and the filter did not match it", that is: a newer or equal write already
 * landed. It is an expected outcome, not a failure.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as {
    code?: unknown;
    writeErrors?: unknown;
  };
  if (code === 11000 || code === 11001) return true;
  return (
    Array.isArray(writeErrors) &&
    writeErrors.length > 0 &&
    writeErrors.every((w: { code?: unknown }) => w.code === 11000 || w.code === 11001)
  );
}
