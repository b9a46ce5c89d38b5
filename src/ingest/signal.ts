/**
 * Delivers a normalized event to its customer's workflow with signal-with-start: one RPC that
 * starts the workflow if none is running and signals it either way. Used by the webhook,
 * reconciliation and the CLIs.
 *
 * Signal-with-start has no per-signal dedupe on the server (the SDK sends a fresh request ID each
 * call), so a redelivered event is signaled again; the workflow applies each Stripe event ID at
 * most once. That is why accepting 20 copies of one event is safe.
 */
import { type Client, isGrpcServiceError } from '@temporalio/client';
import type { NormalizedEvent } from '../domain/stripe-events';
import {
  CUSTOMER_WORKFLOW_TYPE,
  type CustomerWorkflowInput,
  customerWorkflowId,
  SEARCH_ATTRIBUTES,
  stripeEventSignal,
} from '../../workflows/definitions';
import { withTimeout } from './with-timeout';

/** Temporal did not accept the signal in time, or could not be reached: the caller should retry. */
export class TemporalUnavailableError extends Error {
  constructor(
    readonly workflowId: string,
    cause: unknown,
  ) {
    super(
      `Temporal did not accept the signal to ${workflowId} in time; retry later ` +
        '(check TEMPORAL_ADDRESS and that the Temporal frontend is up).',
      { cause },
    );
    this.name = 'TemporalUnavailableError';
  }
}

export interface SignalReceipt {
  workflowId: string;
  /** The run that received the signal (a new one when the workflow was started). */
  runId: string;
}

/** The function boundary the API depends on; unit tests pass a fake. */
export interface EventSignaler {
  /**
   * Resolves once Temporal has durably accepted the signal.
   * @throws TemporalUnavailableError when Temporal is unreachable or slower than the deadline.
   */
  signal(event: NormalizedEvent): Promise<SignalReceipt>;
}

export interface TemporalSignalerOptions {
  client: Client;
  taskQueue: string;
  /** Deadline of the whole RPC, connection included, in milliseconds. */
  rpcTimeoutMs: number;
}

/**
 * gRPC status codes that mean "not now": the request may succeed when retried later. Numbers from
 * the gRPC spec (CANCELLED 1, DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, ABORTED 10,
 * UNAVAILABLE 14); grpc-js is only a transitive dependency, so its enum is not imported.
 */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([1, 4, 8, 10, 14]);

export function createTemporalSignaler(options: TemporalSignalerOptions): EventSignaler {
  const { client, taskQueue, rpcTimeoutMs } = options;
  return {
    async signal(event) {
      const workflowId = customerWorkflowId(event.customerId);
      const input: CustomerWorkflowInput = { customerId: event.customerId };
      const send = client.withDeadline(Date.now() + rpcTimeoutMs, () =>
        client.workflow.signalWithStart(CUSTOMER_WORKFLOW_TYPE, {
          workflowId,
          taskQueue,
          args: [input],
          signal: stripeEventSignal,
          signalArgs: [event],
          // A running workflow is signaled, never replaced; a closed one (idle timeout, or
          // after a failure) is started anew, so a customer who returns months later is served.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          // Lets the billing team find the workflow by customer from its first moment.
          typedSearchAttributes: [
            {
              key: SEARCH_ATTRIBUTES.StripeCustomerId,
              value: event.customerId,
            },
          ],
        }),
      );
      try {
        // The gRPC deadline covers the RPC; the timer also covers the lazy connect before it.
        const handle = await withTimeout(send, rpcTimeoutMs, () => {
          return new TemporalUnavailableError(workflowId, new Error('signal-with-start timed out'));
        });
        return { workflowId, runId: handle.signaledRunId };
      } catch (err) {
        if (err instanceof TemporalUnavailableError) throw err;
        if (isRetryable(err)) throw new TemporalUnavailableError(workflowId, err);
        throw err;
      }
    },
  };
}

function isRetryable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && RETRYABLE_CODES.has(e.code)) return true;
  }
  return false;
}
