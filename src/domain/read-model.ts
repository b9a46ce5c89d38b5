/**
 * What the read API needs from storage. `src/db/read-model.ts` implements it over MongoDB; unit
 * tests of the API pass a fake.
 */
import type { AppliedEventView, CustomerView } from './customer-view';

export interface CustomerRecord extends CustomerView {
  /** ISO date of the last projection write. */
  updatedAt: string;
}

export interface ReadModel {
  getCustomer(customerId: string): Promise<CustomerRecord | null>;
  /** Applied events, newest first (by Stripe `created`, then applied time). */
  listEvents(customerId: string, limit?: number): Promise<AppliedEventView[]>;
}
