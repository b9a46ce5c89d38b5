/**
 * Starts the real Express app on a free loopback port with fakes at its function boundaries
 * (signaler, read model, readiness), and captures its log lines.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../../src/api/app';
import { type ApiMetrics, createApiMetrics } from '../../../src/api/metrics';
import type { Config } from '../../../src/config';
import type { CustomerRecord, ReadModel } from '../../../src/domain/read-model';
import type { AppliedEventView } from '../../../src/domain/customer-view';
import type { NormalizedEvent } from '../../../src/domain/stripe-events';
import {
  type EventSignaler,
  type SignalReceipt,
  TemporalUnavailableError,
} from '../../../src/ingest/signal';
import { createLogger } from '../../../src/logging/logger';
import { customerWorkflowId } from '../../../workflows/definitions';
import { TEST_WEBHOOK_SECRET } from '../../support/stripe-fixtures';

export const ADMIN_TOKEN = 'test-admin-token-with-enough-length-0001';

/** Records every signal; `behaviour` decides what the next call does. */
export class FakeSignaler implements EventSignaler {
  readonly received: NormalizedEvent[] = [];
  behaviour: 'accept' | 'unavailable' | 'fail' = 'accept';

  async signal(event: NormalizedEvent): Promise<SignalReceipt> {
    const workflowId = customerWorkflowId(event.customerId);
    if (this.behaviour === 'unavailable') {
      throw new TemporalUnavailableError(workflowId, new Error('connect ECONNREFUSED'));
    }
    if (this.behaviour === 'fail') {
      throw new Error('namespace citrus-secret-internal-detail not found');
    }
    this.received.push(event);
    return { workflowId, runId: 'run-1' };
  }
}

export class FakeReadModel implements ReadModel {
  readonly customers = new Map<string, CustomerRecord>();
  readonly events = new Map<string, AppliedEventView[]>();

  async getCustomer(customerId: string): Promise<CustomerRecord | null> {
    return this.customers.get(customerId) ?? null;
  }
  async listEvents(customerId: string): Promise<AppliedEventView[]> {
    return this.events.get(customerId) ?? [];
  }
}

export interface HarnessOptions {
  secrets?: string[];
  toleranceSeconds?: number;
  ready?: boolean;
}

export interface Harness {
  url: string;
  signaler: FakeSignaler;
  readModel: FakeReadModel;
  metrics: ApiMetrics;
  readiness: { ready: boolean; isReady(): boolean };
  /** Every log line written so far, raw. */
  logText(): string;
  /** Every log line written so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const chunks: string[] = [];
  const logger = createLogger({
    level: 'info',
    name: 'api',
    destination: { write: (line: string) => void chunks.push(line) },
  });
  const signaler = new FakeSignaler();
  const readModel = new FakeReadModel();
  const metrics = createApiMetrics();
  const readiness = {
    ready: options.ready ?? true,
    isReady(): boolean {
      return this.ready;
    },
  };
  const config: Pick<Config, 'stripe' | 'adminApiToken'> = {
    stripe: {
      webhookSecrets: options.secrets ?? [TEST_WEBHOOK_SECRET],
      toleranceSeconds: options.toleranceSeconds ?? 300,
      secretKey: undefined,
      apiBase: undefined,
    },
    adminApiToken: ADMIN_TOKEN,
  };
  const app = createApp({
    config,
    signaler,
    readModel,
    logger,
    metrics,
    readiness,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const logText = (): string => chunks.join('');
  return {
    url: `http://127.0.0.1:${port}`,
    signaler,
    readModel,
    metrics,
    readiness,
    logText,
    logLines: () =>
      logText()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Reads a counter's value for the given labels from the app's registry (0 when never counted). */
export async function counterValue(
  metrics: ApiMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) =>
    Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  );
  return match?.value ?? 0;
}
