/**
 * Workflow time. Inside a workflow the Temporal SDK replaces `Date.now()` with the deterministic
 * workflow clock (the time of the current workflow task, identical on replay), so this is safe;
 * it lives in one helper so that the rest of the workflow code never touches `Date` directly.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- deterministic inside the workflow sandbox
  return Date.now();
}
