/**
 * Where an applied event's time goes, read from the Temporal histories of a sample of customer
 * workflows after the run: for each stripeEvent signal, the wait until a worker picks up the
 * workflow task, that task's run, the wait of the projectState activity in the task queue, its
 * run (MongoDB writes) and the workflow task that follows it. Server timestamps only, so no
 * instrumentation of the worker is needed and nothing here changes what is measured.
 */
import { Connection, WorkflowClient } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { CUSTOMER_WORKFLOW_TYPE } from '../workflows/definitions';
import { percentile } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = {
  signaled: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
  wftStarted: 'EVENT_TYPE_WORKFLOW_TASK_STARTED',
  wftCompleted: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
  actScheduled: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  actStarted: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
  actCompleted: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
} as const;

/** Medians in ms over every signalled event of the sample; `events` is how many. */
export interface Breakdown {
  workflows: number;
  events: number;
  /** Signal recorded -> a worker starts the workflow task that sees it. */
  signalToTaskStart: number;
  /** Workflow task started -> completed (worker CPU + its RPC back). */
  workflowTask: number;
  /** projectState scheduled -> started (activity queue wait). */
  activityQueue: number;
  /** projectState started -> completed (the MongoDB writes + the completion RPC). */
  activityRun: number;
  /** projectState completed -> the next workflow task completed. */
  afterActivity: number;
  /** Signal recorded -> its projectState completed: the server-side part of "applied". */
  signalToApplied: number;
  activityRunP95: number;
}

export async function historyBreakdown(address: string, sample = 40): Promise<Breakdown | null> {
  const connection = await Connection.connect({ address });
  try {
    const client = new WorkflowClient({ connection });
    const ids: string[] = [];
    for await (const wf of client.list({ query: `WorkflowType = '${CUSTOMER_WORKFLOW_TYPE}'` })) {
      ids.push(wf.workflowId);
      if (ids.length >= sample) break;
    }
    const spans: Record<Exclude<keyof Breakdown, 'workflows' | 'events'>, number[]> = {
      signalToTaskStart: [],
      workflowTask: [],
      activityQueue: [],
      activityRun: [],
      afterActivity: [],
      signalToApplied: [],
      activityRunP95: [],
    };
    for (const id of ids) {
      const history = await client.getHandle(id).fetchHistory();
      addSpans(history.events ?? [], spans);
    }
    const median = (xs: number[]) => percentile(xs, 50);
    return {
      workflows: ids.length,
      events: spans.signalToApplied.length,
      signalToTaskStart: median(spans.signalToTaskStart),
      workflowTask: median(spans.workflowTask),
      activityQueue: median(spans.activityQueue),
      activityRun: median(spans.activityRun),
      afterActivity: median(spans.afterActivity),
      signalToApplied: median(spans.signalToApplied),
      activityRunP95: percentile(spans.activityRun, 95),
    };
  } catch {
    return null;
  } finally {
    await connection.close();
  }
}

function type(e: HistoryEvent): string {
  // The proto enum arrives as a number or as its name depending on the payload converter.
  const raw = e.eventType as unknown;
  if (typeof raw === 'string') return raw;
  return TYPE_NAMES[raw as number] ?? String(raw);
}

const TYPE_NAMES: Record<number, string> = {
  5: EventType.wftStarted,
  6: EventType.wftCompleted,
  10: EventType.actScheduled,
  11: EventType.actStarted,
  12: EventType.actCompleted,
  26: EventType.signaled,
};

function ms(e: HistoryEvent): number {
  const t = e.eventTime;
  if (!t) return Number.NaN;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** Walks one history: each signal, then the first projectState after it, then the next task. */
function addSpans(events: HistoryEvent[], spans: Record<string, number[]>): void {
  const find = (from: number, name: string, pred: (e: HistoryEvent) => boolean = () => true) => {
    for (let i = from; i < events.length; i++) {
      const e = events[i] as HistoryEvent;
      if (type(e) === name && pred(e)) return i;
    }
    return -1;
  };
  for (let i = 0; i < events.length; i++) {
    const signal = events[i] as HistoryEvent;
    if (type(signal) !== EventType.signaled) continue;
    const wftStart = find(i, EventType.wftStarted);
    const wftDone = find(wftStart, EventType.wftCompleted);
    const scheduled = find(
      wftDone,
      EventType.actScheduled,
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'projectState',
    );
    if (wftStart < 0 || wftDone < 0 || scheduled < 0) continue;
    const scheduledId = (events[scheduled] as HistoryEvent).eventId;
    const sameActivity = (attrs: { scheduledEventId?: unknown } | null | undefined) =>
      String(attrs?.scheduledEventId) === String(scheduledId);
    const started = find(scheduled, EventType.actStarted, (e) =>
      sameActivity(e.activityTaskStartedEventAttributes),
    );
    const completed = find(scheduled, EventType.actCompleted, (e) =>
      sameActivity(e.activityTaskCompletedEventAttributes),
    );
    if (started < 0 || completed < 0) continue;
    const nextDone = find(completed, EventType.wftCompleted);
    const at = (k: number) => ms(events[k] as HistoryEvent);
    spans.signalToTaskStart?.push(at(wftStart) - ms(signal));
    spans.workflowTask?.push(at(wftDone) - at(wftStart));
    spans.activityQueue?.push(at(started) - at(scheduled));
    spans.activityRun?.push(at(completed) - at(started));
    if (nextDone >= 0) spans.afterActivity?.push(at(nextDone) - at(completed));
    spans.signalToApplied?.push(at(completed) - ms(signal));
  }
}
