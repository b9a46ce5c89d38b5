/**
 * The public handles of the per-customer workflow: its ID, signal, query, updates and search
 * attributes. The API, the CLIs and the workflow itself all import them from here, so a rename
 * cannot drift between sender and receiver.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { NormalizedEvent } from '../src/domain/stripe-events';
import type { CustomerState } from './customer/state';
import type { DunningScheduleView } from './dunning/schedule';

/** Registered workflow type name; also the export name in `workflows/index.ts`. */
export const CUSTOMER_WORKFLOW_TYPE = 'customerSubscriptionWorkflow';

/**
 * The workflow ID of a customer: `customer-` followed by the Stripe customer ID, for example
 * `customer-cus_Q2b3C4d5`. The billing team types this into the Temporal UI.
 */
export function customerWorkflowId(customerId: string): string {
  return `customer-${customerId}`;
}

export interface CustomerWorkflowInput {
  customerId: string;
  /** Present only on continue-as-new: the state and dedupe window carried to the next run. */
  carried?: CustomerState;
  /** Present only on continue-as-new: events received but not yet applied, in arrival order. */
  pendingEvents?: NormalizedEvent[];
}

/** Every Stripe event for the customer arrives through this one signal. */
export const stripeEventSignal = defineSignal<[NormalizedEvent]>('stripeEvent');

/** The full current state, for the billing team and for tests. */
export const customerStateQuery = defineQuery<CustomerState>('customerState');

export interface ControlArgs {
  /** Why the operator acts; recorded in the history and the audit log. Required. */
  reason: string;
  /** Who acts, for the audit trail (an e-mail or a username). */
  operator?: string;
}

export interface ExtendGraceArgs extends ControlArgs {
  /** How much later suspension and cancellation happen, as a duration ("3 days"). */
  by: string;
}

/** Moves the suspension and the cancellation of the open dunning case later. */
export const extendGraceUpdate = defineUpdate<DunningScheduleView, [ExtendGraceArgs]>(
  'extendGrace',
);

/** Asks Stripe to attempt the open invoice's payment now (`invoices.pay`). */
export const retryPaymentUpdate = defineUpdate<DunningScheduleView, [ControlArgs]>('retryPayment');

/** Stops dunning for the open invoice and keeps (or restores) access. */
export const waiveDunningUpdate = defineUpdate<DunningScheduleView, [ControlArgs]>('waiveDunning');

/** Typed custom search attributes, registered by `npm start`, the tests and docker-compose. */
export const SEARCH_ATTRIBUTES = {
  StripeCustomerId: defineSearchAttributeKey('StripeCustomerId', SearchAttributeType.KEYWORD),
  AccountId: defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD),
  SubscriptionStatus: defineSearchAttributeKey('SubscriptionStatus', SearchAttributeType.KEYWORD),
  AccessState: defineSearchAttributeKey('AccessState', SearchAttributeType.KEYWORD),
  DunningStage: defineSearchAttributeKey('DunningStage', SearchAttributeType.KEYWORD),
} as const;

/** `--search-attribute` arguments for `temporal server start-dev` and `operator` commands. */
export const SEARCH_ATTRIBUTE_CLI_ARGS = Object.keys(SEARCH_ATTRIBUTES).flatMap((name) => [
  '--search-attribute',
  `${name}=Keyword`,
]);
