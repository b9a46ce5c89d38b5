/**
 * Closed-loop load with autocannon: `connections` clients on loopback, each taking the next
 * pre-signed delivery from a shared list, until the list is used up or `maxSeconds` pass.
 * Latency is recorded per response (ms), so exact p50/p95/p99 come from our own sample.
 */
import autocannon from 'autocannon';
import type { Delivery } from './events';
import { percentile } from './stats';

export interface AckResult {
  connections: number;
  requests: number;
  ok: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Successful responses per second over the run. */
  rps: number;
}

/**
 * `source`: a fixed list (sent once, the run ends when it is used up) or a stream (the run lasts
 * `maxSeconds`, the fair way to compare throughput).
 */
export async function ackLoad(
  url: string,
  source: readonly Delivery[] | (() => Delivery),
  connections: number,
  maxSeconds: number,
): Promise<AckResult> {
  let taken = 0;
  const take =
    typeof source === 'function' ? source : () => source[taken++ % source.length] as Delivery;
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  const started = process.hrtime.bigint();
  // Called with a callback, autocannon returns its instance (with events) instead of a promise.
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url,
      connections,
      pipelining: 1,
      ...(typeof source === 'function' ? {} : { amount: source.length }),
      duration: maxSeconds,
      timeout: 15,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const delivery = take();
            return {
              ...request,
              method: 'POST',
              body: delivery.body,
              headers: {
                'content-type': 'application/json',
                'stripe-signature': delivery.signature,
              },
            };
          },
        },
      ],
    },
    (error: Error | null, result: autocannon.Result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
    latencies.push(responseTime);
    if (statusCode === 200) ok++;
    else bad++;
  });
  const result = await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    connections,
    requests: latencies.length,
    ok,
    errors: bad + result.errors + result.timeouts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: ok / Math.max(seconds, 1e-3),
  };
}
