/**
 * Where the ack time goes: the API's own histogram of signal-with-start RPCs (Prometheus text
 * from /metrics), as a mean over every delivery of the run, next to the mean ack latency.
 */
export interface SignalProfile {
  signals: number;
  meanMs: number;
}

export async function signalProfile(apiUrl: string): Promise<SignalProfile> {
  try {
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    const value = (suffix: string) => {
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`citrus_webhook_signal_with_start_seconds_${suffix}{`) &&
            l.includes('result="ok"'),
        );
      return line ? Number(line.split(' ').pop()) : Number.NaN;
    };
    const signals = value('count');
    return { signals, meanMs: (value('sum') / signals) * 1000 };
  } catch {
    return { signals: 0, meanMs: Number.NaN };
  }
}
