/**
 * Fetches the history of a workflow's latest run and of every run before it in its
 * continue-as-new chain, oldest first, by following `continuedExecutionRunId` backwards.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface RunHistory {
  workflowId: string;
  runId: string;
  history: temporal.api.history.v1.IHistory;
}

export async function fetchRunChain(client: Client, workflowId: string): Promise<RunHistory[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const chain: RunHistory[] = [];
  let runId: string | undefined = latest.runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    chain.unshift({ workflowId, runId, history });
    const started:
      temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | null | undefined =
      history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runId = started?.continuedExecutionRunId || undefined;
  }
  return chain;
}
