/** TCP port helpers shared by `npm start` and the Jest global setup. */
import { createConnection, createServer } from 'node:net';

/** Asks the kernel for a free port (listen on 0), then releases it for the caller. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port (tries to bind it, then releases it). */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export class PortTimeoutError extends Error {
  constructor(name: string, port: number, timeoutMs: number) {
    super(
      `${name} did not open port ${port} within ${Math.round(timeoutMs / 1000)} s; ` +
        'see its output above (a slow machine may need a retry).',
    );
    this.name = 'PortTimeoutError';
  }
}

export interface WaitOptions {
  name: string;
  port: number;
  host?: string;
  timeoutMs?: number;
  /** Stops waiting early, e.g. when the process that should listen has already exited. */
  failed?: () => Error | undefined;
}

/** Polls until something accepts connections on the port. */
export async function waitForPort(options: WaitOptions): Promise<void> {
  const { name, port, host = '127.0.0.1', timeoutMs = 60_000, failed } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed?.();
    if (failure) throw failure;
    if (await canConnect(port, host)) return;
    if (Date.now() > deadline) throw new PortTimeoutError(name, port, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface WaitForOkOptions {
  name: string;
  url: string;
  timeoutMs?: number;
  failed?: () => Error | undefined;
}

/** Polls a health URL until it answers 2xx, e.g. a worker that is up only once it polls. */
export async function waitForHttpOk(options: WaitForOkOptions): Promise<void> {
  const { name, url, timeoutMs = 120_000, failed } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed?.();
    if (failure) throw failure;
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) {
      throw new Error(`${name} did not report healthy at ${url} within ${timeoutMs / 1000} s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
