/**
 * A read model that connects to MongoDB on first use and retries on a later call if that fails.
 * The API process must start, and take webhooks, while MongoDB is down: only the read API needs
 * it, and that answers 503 until the database is back.
 */
import type { ReadModel } from '../../domain/read-model';
import { ServiceUnavailableError } from '../errors';

export function lazyReadModel(open: () => Promise<ReadModel>): ReadModel {
  let pending: Promise<ReadModel> | undefined;
  async function model(): Promise<ReadModel> {
    pending ??= open();
    try {
      return await pending;
    } catch (err) {
      pending = undefined;
      throw new ServiceUnavailableError(
        'The subscription database is unreachable; retry later.',
        5,
        err,
      );
    }
  }
  return {
    async getCustomer(customerId) {
      return (await model()).getCustomer(customerId);
    },
    async listEvents(customerId, limit) {
      return (await model()).listEvents(customerId, limit);
    },
  };
}
