/**
 * `npm run bench`: ack latency and throughput of the webhook next to a floor and a peer design,
 * end-to-end latency at a steady rate, a burst fully applied and checked, and peak memory.
 * Several repetitions; medians go to stdout and to bench/RESULTS.md. See bench/README in
 * RESULTS.md for the knobs (BENCH_* variables).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { connectMongo } from '../src/db/connection';
import { WEBHOOK_PATH } from '../src/api/webhook/route';
import {
  burst,
  ReadApi,
  steadyRate,
  waitForApplied,
  appliedCount,
  type BurstResult,
  type SteadyResult,
} from './e2e';
import { deliveries, deliveryStream } from './events';
import { ackLoad, type AckResult } from './load';
import { load, machineInfo } from './machine';
import { renderResults, type RunFigures } from './report';
import { signalProfile } from './profile';
import { sampleRss } from './rss';
import { startStack, type Stack } from './stack';
import { historyBreakdown } from './breakdown';
import { cpuSnapshot, cpuSpent } from './cpu';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/**
 * Defaults sized so that `npm run bench` ends within about 15 minutes on the shared 2-core
 * machine (see bench/RESULTS.md for why the issue's 5,000-event burst does not fit there yet);
 * the issue's sizes are `BENCH_BURST_EVENTS=5000 BENCH_BURST_CUSTOMERS=500 BENCH_STEADY_SECONDS=10`.
 */
const SETTINGS = {
  reps: num('BENCH_REPS', 2),
  ackSeconds: num('BENCH_ACK_SECONDS', 2),
  steadyRate: num('BENCH_STEADY_RATE', 100),
  steadySeconds: num('BENCH_STEADY_SECONDS', 3),
  burstEvents: num('BENCH_BURST_EVENTS', 500),
  burstCustomers: num('BENCH_BURST_CUSTOMERS', 50),
  burstConnections: num('BENCH_BURST_CONNECTIONS', 32),
  drainTimeoutS: num('BENCH_DRAIN_TIMEOUT_S', 60),
};
export type BenchSettings = typeof SETTINGS;
export const CONCURRENCY = [1, 16, 32, 64] as const;
export const TARGETS = ['floor', 'peer', 'ours'] as const;
export type Target = (typeof TARGETS)[number];

function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = load();
  const stack = await startStack(say);
  const stopOnSignal = () => void stack.stop().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const db = await connectMongo(stack.mongoUri);
  try {
    const info = machineInfo(stack);
    const urls: Record<Target, string> = {
      floor: `${stack.floorUrl}/webhook`,
      peer: `${stack.peerUrl}/webhook`,
      ours: `${stack.apiUrl}${WEBHOOK_PATH}`,
    };
    const read = new ReadApi(stack.apiUrl, stack.adminToken);
    await warmUp(urls, stack.secret, read, db);
    const runs: RunFigures[] = [];
    for (let rep = 1; rep <= SETTINGS.reps; rep++) {
      say(`repetition ${rep}/${SETTINGS.reps} (load average ${load()})`);
      runs.push(await repetition(urls, stack.secret, read, db, stack));
    }
    const signal = await signalProfile(stack.apiUrl);
    const breakdown = stack.temporalAddress ? await historyBreakdown(stack.temporalAddress) : null;
    const text = renderResults({
      signal,
      breakdown,
      runs,
      info,
      settings: SETTINGS,
      startedAt,
      loadBefore,
      loadAfter: load(),
      command: commandLine(),
      external: Boolean(process.env.BENCH_API_URL),
    });
    // Formatted as the repository's `prettier --check .` expects, so a fresh report passes lint.
    const resultsFile = join(__dirname, 'RESULTS.md');
    const prettierOptions = (await resolveConfig(resultsFile)) ?? {};
    writeFileSync(
      resultsFile,
      await format(text.markdown, { ...prettierOptions, filepath: resultsFile }),
    );
    process.stdout.write(`\n${text.table}\n`);
    say(`wrote bench/RESULTS.md; stack logs were in ${stack.logsDir}`);
  } finally {
    await db.close();
    await stack.stop();
  }
}

/** A few hundred events through every path, so JIT, pools and workflow caches are warm. */
async function warmUp(
  urls: Record<Target, string>,
  secret: string,
  read: ReadApi,
  db: Awaited<ReturnType<typeof connectMongo>>,
): Promise<void> {
  say('warming up');
  for (const target of TARGETS) await ackLoad(urls[target], deliveries(50, 4, secret), 8, 20);
  await steadyRate(urls.ours, read, deliveries(20, 2, secret), 20);
  void db;
}

async function repetition(
  urls: Record<Target, string>,
  secret: string,
  read: ReadApi,
  db: Awaited<ReturnType<typeof connectMongo>>,
  stack: Stack,
): Promise<RunFigures> {
  const ack = {} as Record<Target, AckResult[]>;
  let accepted = 0;
  const before = await appliedCount(db);
  for (const target of TARGETS) {
    ack[target] = [];
    for (const connections of CONCURRENCY) {
      const stream = deliveryStream(250, 4, secret);
      const result = await ackLoad(urls[target], stream, connections, SETTINGS.ackSeconds);
      ack[target].push(result);
      if (target === 'ours') accepted += result.ok;
      say(
        `  ack ${target.padEnd(5)} c=${String(connections).padStart(2)}: ` +
          `p50 ${result.p50.toFixed(1)} p95 ${result.p95.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, ` +
          `${result.rps.toFixed(0)}/s, ${result.errors} errors`,
      );
    }
  }
  const drainStart = performance.now();
  const drained = await waitForApplied(db, before + accepted, SETTINGS.drainTimeoutS * 1000);
  const drainSeconds = ((drained.reachedAt ?? performance.now()) - drainStart) / 1000;
  say(
    `  backlog of ${accepted} ack events applied ${drainSeconds.toFixed(1)} s after the last ack`,
  );

  const steadyEvents = SETTINGS.steadyRate * SETTINGS.steadySeconds;
  const steady: SteadyResult = await steadyRate(
    urls.ours,
    read,
    deliveries(Math.ceil(steadyEvents / 4), 4, secret),
    SETTINGS.steadyRate,
  );
  say(
    `  steady ${SETTINGS.steadyRate}/s: visible p50 ${steady.p50.toFixed(0)} p99 ${steady.p99.toFixed(0)} ms, ` +
      `${steady.errors} errors, ${steady.unseen} unseen`,
  );

  // The burst is timed by the event log's size, so the earlier phases' backlog must be in it first.
  const steadyAccepted = steady.sent - steady.errors;
  await waitForApplied(db, before + accepted + steadyAccepted, SETTINGS.drainTimeoutS * 1000);

  const burstDeliveries = deliveries(
    SETTINGS.burstCustomers,
    Math.ceil(SETTINGS.burstEvents / SETTINGS.burstCustomers),
    secret,
  ).slice(0, SETTINGS.burstEvents);
  const apiRss = sampleRss(stack.apiPid);
  const workerRss = sampleRss(stack.workerPid);
  const cpuBefore = cpuSnapshot(stack.pids);
  const burstResult: BurstResult = await burst(
    urls.ours,
    read,
    db,
    burstDeliveries,
    SETTINGS.burstConnections,
    300_000,
  );
  const memory = { api: apiRss.stop(), worker: workerRss.stop() };
  const burstCpu = cpuSpent(cpuBefore, cpuSnapshot(stack.pids));
  say(
    `  burst ${burstDeliveries.length}: applied in ${burstResult.seconds.toFixed(1)} s ` +
      `(${burstResult.appliedPerSecond.toFixed(0)}/s), verified ${burstResult.verified}, ` +
      `missing ${burstResult.missing}, duplicated ${burstResult.duplicated}; ` +
      `RSS api ${memory.api.peakMb.toFixed(0)} MB, worker ${memory.worker.peakMb.toFixed(0)} MB`,
  );
  say(
    `  burst CPU s: ${Object.entries(burstCpu)
      .map(([name, s]) => `${name} ${s.toFixed(1)}`)
      .join(', ')}`,
  );
  return {
    ack,
    drainSeconds,
    accepted,
    steady,
    burst: burstResult,
    burstCpu,
    memory,
    load: load(),
  };
}

function commandLine(): string {
  const knobs = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_') || name === 'LOG_LEVEL')
    .map(([name, value]) => `${name}=${value}`);
  return [...knobs, 'npm run bench'].join(' ');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
