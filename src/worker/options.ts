/**
 * Worker tuning for throughput on a small machine (2 cores). The workflow code is light (a
 * reducer over small state), so a worker spends most of its time waiting on the server, MongoDB
 * and SMTP; the numbers below keep many of those waits in flight instead of adding threads.
 */
import type { WorkerOptions } from '@temporalio/worker';

export const WORKER_TUNING = {
  /**
   * Workflow tasks processed at once. Each is milliseconds of CPU; 40 keeps the single workflow
   * thread busy while others wait on the network. @default 40 here (SDK default 40)
   */
  maxConcurrentWorkflowTaskExecutions: 40,
  /**
   * Activities in flight. They are I/O-bound (MongoDB, SMTP, Stripe), so more than cores; 100
   * keeps a burst of projection writes flowing without flooding FerretDB. @default 100 here
   */
  maxConcurrentActivityTaskExecutions: 100,
  /**
   * Customer workflows kept in memory, so a signal to a busy customer does not replay its
   * history; an evicted customer costs one replay of its short (continued-as-new) history on
   * its next event. Lowered from 2000 for the RSS target of issue 7, but the benchmark's worker
   * peaked at 538 to 753 MB with 400 as with 2000 (544 to 691 MB): the cache is not what holds
   * that memory (bench/RESULTS.md). @default 400 here
   */
  maxCachedWorkflows: 400,
  /** Pollers scale with the backlog instead of a fixed count. */
  workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 2, maximum: 20 },
  activityTaskPollerBehavior: { type: 'autoscaling', minimum: 2, maximum: 20 },
  /**
   * On SIGTERM, running activities get this long to finish before they are cancelled; the
   * activities are idempotent, so a cut-off one is simply retried elsewhere.
   */
  shutdownGraceTime: '10 seconds',
} as const satisfies Partial<WorkerOptions>;
