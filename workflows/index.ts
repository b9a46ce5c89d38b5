/**
 * The workflow bundle's entry point: workflow functions only. The export name is the registered
 * workflow type (`CUSTOMER_WORKFLOW_TYPE`).
 */
export { customerSubscriptionWorkflow } from './customer/workflow';
export { reconciliationWorkflow } from './reconcile';
