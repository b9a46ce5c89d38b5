/**
 * The one way every process (API, worker, CLIs) reaches Temporal: address, namespace and TLS come
 * from the validated config, never from ad-hoc env reads.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import type { TemporalSettings } from '../config';

/** Raised when a TLS file named in the config cannot be read; the message names the variable. */
export class TemporalTlsFileError extends Error {
  constructor(
    readonly variable: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`Cannot read ${variable} at ${path}: check the path and the file's permissions.`, {
      cause,
    });
    this.name = 'TemporalTlsFileError';
  }
}

/**
 * Connection options from the config. TLS is on when a certificate, a CA or an API key is set
 * (Temporal Cloud with an API key always needs TLS); otherwise the connection is plain, as for the
 * local dev server.
 */
export function temporalConnectionOptions(settings: TemporalSettings): ConnectionOptions {
  const tls = tlsConfig(settings);
  return {
    address: settings.address,
    tls,
    apiKey: settings.apiKey,
    // Without this, the first call after a lazy connect could hang for the SDK's default of 10 s.
    connectTimeout: settings.rpcTimeoutMs,
  };
}

function tlsConfig(settings: TemporalSettings): TLSConfig | undefined {
  const files = settings.tls;
  if (!files && !settings.apiKey) return undefined;
  const tls: TLSConfig = {};
  if (files?.caPath) {
    tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_PATH', files.caPath);
  }
  if (files?.certPath && files.keyPath) {
    tls.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT_PATH', files.certPath),
      key: readPem('TEMPORAL_TLS_KEY_PATH', files.keyPath),
    };
  }
  return tls;
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TemporalTlsFileError(variable, path, err);
  }
}

export interface TemporalHandles {
  connection: Connection;
  client: Client;
}

/**
 * A lazily connected client: the process starts even while Temporal is down, and the first RPC
 * (or the readiness probe) establishes the channel. The API relies on this to answer 503 instead
 * of crashing when Temporal is unreachable at start-up.
 */
export function createTemporalClient(settings: TemporalSettings): TemporalHandles {
  const connection = Connection.lazy(temporalConnectionOptions(settings));
  const client = new Client({ connection, namespace: settings.namespace });
  return { connection, client };
}

/** Like `createTemporalClient`, but fails fast when Temporal cannot be reached (worker, CLIs). */
export async function connectTemporal(settings: TemporalSettings): Promise<TemporalHandles> {
  const connection = await Connection.connect(temporalConnectionOptions(settings));
  const client = new Client({ connection, namespace: settings.namespace });
  return { connection, client };
}
