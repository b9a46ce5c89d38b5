/**
 * `createActivities()` builds the activities the customer workflow calls, from their
 * dependencies. The worker passes real ones (mongoose models, Stripe client, SMTP mailer,
 * pino logger); tests pass real servers or fakes at this boundary.
 */
import { KeyedLock } from '../src/db/keyed-lock';
import type { CustomerActivities } from './contract';
import { loadCustomerState, recordControl } from './customer-records';
import type { ActivityDependencies } from './dependencies';
import { eventsOf, projectState } from './project-state';
import { sendNotification } from './send-notification';
import { cancelSubscription, fetchSubscription, retryInvoicePayment } from './stripe-actions';

export type { ActivityDependencies } from './dependencies';

export function createActivities(deps: ActivityDependencies): CustomerActivities {
  const { models, logger } = deps;
  // One projection write and one outbox send at a time per key in this worker; see KeyedLock.
  const customerLock = new KeyedLock();
  const outboxLock = new KeyedLock();
  return {
    async getDunningPolicy() {
      return deps.config.dunning;
    },
    async getWorkflowSettings() {
      return {
        idleTimeoutMs: deps.config.customerIdleTimeoutMs,
        maxEventsPerRun: deps.config.maxEventsPerRun,
      };
    },
    loadCustomerState: (customerId) => loadCustomerState(models, customerId),
    async projectState(input) {
      const result = await customerLock.run(String(input?.customerId), () =>
        projectState(models, input),
      );
      logger.debug(
        {
          customerId: input.customerId,
          seq: input.seq,
          events: eventsOf(input).length,
          customer: result.customer,
          eventsLogged: result.eventsLogged,
        },
        'state projected',
      );
    },
    sendNotification: (input) =>
      outboxLock.run(String(input?.key), () => sendNotification(deps, input)),
    cancelSubscription: (input) => cancelSubscription(deps, input),
    retryInvoicePayment: (input) => retryInvoicePayment(deps, input),
    fetchSubscription: (subscriptionId) => fetchSubscription(deps, subscriptionId),
    recordControl: (record) => recordControl(models, record),
  };
}
