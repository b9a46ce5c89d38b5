/**
 * Readiness: whether Temporal answers. Probed in the background on an interval, so `/readyz` reads
 * a cached flag and a burst of probes never turns into a burst of RPCs.
 */
import type { Connection } from '@temporalio/client';
import { withTimeout } from '../ingest/with-timeout';
import type { Logger } from '../logging/logger';

export interface Readiness {
  isReady(): boolean;
}

export interface TemporalReadinessOptions {
  connection: Connection;
  logger: Logger;
  /** Time between probes, in milliseconds. @default 5000 */
  intervalMs?: number;
  /** Deadline of one probe, in milliseconds. @default 2000 */
  timeoutMs?: number;
}

export interface TemporalReadiness extends Readiness {
  /** Probes once now, then on the interval. */
  start(): Promise<void>;
  stop(): void;
  /** One probe; updates the cached flag. */
  probe(): Promise<boolean>;
}

/**
 * grpc.health.v1 ServingStatus.SERVING. The enum lives in @temporalio/proto, which is only a
 * transitive dependency, so the wire value is compared instead.
 */
const SERVING = 1;

export function createTemporalReadiness(options: TemporalReadinessOptions): TemporalReadiness {
  const { connection, logger, intervalMs = 5000, timeoutMs = 2000 } = options;
  let ready = false;
  let timer: NodeJS.Timeout | undefined;

  async function probe(): Promise<boolean> {
    let now: boolean;
    try {
      const check = connection.withDeadline(Date.now() + timeoutMs, () =>
        connection.healthService.check({}),
      );
      const answer = await withTimeout(check, timeoutMs, () => new Error('health check timed out'));
      now = Number(answer.status) === SERVING;
    } catch {
      now = false;
    }
    if (now !== ready) logger.info({ ready: now }, 'temporal readiness changed');
    ready = now;
    return now;
  }

  return {
    isReady: () => ready,
    probe,
    async start() {
      await probe();
      timer = setInterval(() => void probe(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
