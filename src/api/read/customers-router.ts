/**
 * The read API for Citrus Host's app and the billing team, served from the MongoDB projection
 * that the workflow's activities maintain. The response shapes are a contract (see the README):
 * fields are picked one by one, so a new field in storage never leaks into a response.
 */
import { type Request, Router } from 'express';
import type { AppliedEventView } from '../../domain/customer-view';
import type { CustomerRecord, ReadModel } from '../../domain/read-model';
import { isCustomerId } from '../../ingest/customer-id';
import { BadRequestError, NotFoundError } from '../errors';
import { bearerAuth } from './bearer-auth';

export const CUSTOMERS_PATH = '/api/subscription/customers';

/** Most events returned by `/events`; far more than a customer gathers in years. */
export const EVENTS_LIMIT = 500;

export interface CustomersRouterDeps {
  readModel: ReadModel;
  adminApiToken: string;
}

export function customersRouter(deps: CustomersRouterDeps): Router {
  const router = Router();
  router.use(CUSTOMERS_PATH, bearerAuth(deps.adminApiToken));

  router.get(`${CUSTOMERS_PATH}/:customerId`, async (req, res) => {
    const customerId = customerIdParam(req);
    const record = await deps.readModel.getCustomer(customerId);
    if (record === null) throw unknownCustomer();
    res.json(customerBody(record));
  });

  router.get(`${CUSTOMERS_PATH}/:customerId/events`, async (req, res) => {
    const customerId = customerIdParam(req);
    const [record, events] = await Promise.all([
      deps.readModel.getCustomer(customerId),
      deps.readModel.listEvents(customerId, EVENTS_LIMIT),
    ]);
    // Events recorded before the first projection write still make the customer known.
    if (record === null && events.length === 0) throw unknownCustomer();
    res.json(events.map(eventBody));
  });

  return router;
}

function customerIdParam(req: Request): string {
  const value = req.params.customerId;
  if (!isCustomerId(value)) {
    throw new BadRequestError(
      'malformed_customer_id',
      'The customer ID must be a Stripe customer ID: cus_ followed by letters and digits.',
    );
  }
  return value;
}

function unknownCustomer(): NotFoundError {
  return new NotFoundError('customer_not_found', 'No subscription data for this customer.');
}

function customerBody(record: CustomerRecord): CustomerRecord {
  const { dunning } = record;
  return {
    customerId: record.customerId,
    accountId: record.accountId,
    subscriptionId: record.subscriptionId,
    status: record.status,
    access: record.access,
    currentPeriodEnd: record.currentPeriodEnd,
    cancelAtPeriodEnd: record.cancelAtPeriodEnd,
    dunning: dunning && {
      invoiceId: dunning.invoiceId,
      stage: dunning.stage,
      attempt: dunning.attempt,
      startedAt: dunning.startedAt,
      nextActionAt: dunning.nextActionAt,
    },
    updatedAt: record.updatedAt,
  };
}

function eventBody(event: AppliedEventView): AppliedEventView {
  return {
    eventId: event.eventId,
    type: event.type,
    created: event.created,
    appliedAt: event.appliedAt,
    outcome: event.outcome,
  };
}
