/** The reconciliation workflow, re-exported by `workflows/index.ts` for the worker bundle. */
export { reconciliationWorkflow } from './workflow';
