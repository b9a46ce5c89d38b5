/**
 * The worker's connection to Temporal. Same address, TLS and API-key handling as every other
 * process (`temporalConnectionOptions`), but the worker needs the SDK's native (Rust core)
 * connection rather than the gRPC client one.
 */
import { NativeConnection } from '@temporalio/worker';
import type { TemporalSettings } from '../config';
import { temporalConnectionOptions } from '../temporal/connection';

export async function connectNativeTemporal(settings: TemporalSettings): Promise<NativeConnection> {
  const { address, tls } = temporalConnectionOptions(settings);
  return NativeConnection.connect({ address, tls, apiKey: settings.apiKey });
}
