/** Medians over repetitions, as a plain-text table for stdout and a Markdown RESULTS.md. */
import type { BurstResult, SteadyResult } from './e2e';
import type { AckResult } from './load';
import type { MachineInfo } from './machine';
import type { Breakdown } from './breakdown';
import type { CpuSnapshot } from './cpu';
import type { SignalProfile } from './profile';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median } from './stats';
import { CONCURRENCY, TARGETS, type BenchSettings, type Target } from './run';

export interface RunFigures {
  ack: Record<Target, AckResult[]>;
  accepted: number;
  drainSeconds: number;
  steady: SteadyResult;
  burst: BurstResult;
  /** CPU seconds per stack process during the burst. */
  burstCpu: CpuSnapshot;
  memory: { api: { peakMb: number; hwmMb: number }; worker: { peakMb: number; hwmMb: number } };
  load: string;
}

export interface ReportInput {
  runs: RunFigures[];
  signal: SignalProfile;
  breakdown: Breakdown | null;
  info: MachineInfo;
  settings: BenchSettings;
  startedAt: Date;
  loadBefore: string;
  loadAfter: string;
  command: string;
  external: boolean;
}

type AckField = 'p50' | 'p95' | 'p99' | 'rps' | 'errors';

function ackMedian(runs: RunFigures[], target: Target, level: number, field: AckField): number {
  return median(runs.map((r) => r.ack[target][level]?.[field] ?? Number.NaN));
}

/** Highest rate with zero errors at any concurrency, per run; then the median over runs. */
function maxSustained(runs: RunFigures[], target: Target): number {
  return median(
    runs.map((r) => Math.max(0, ...r.ack[target].filter((a) => a.errors === 0).map((a) => a.rps))),
  );
}

export function renderResults(input: ReportInput): { table: string; markdown: string } {
  const { runs } = input;
  const at32 = CONCURRENCY.indexOf(32);
  const floorP99 = ackMedian(runs, 'floor', at32, 'p99');
  const oursP99 = ackMedian(runs, 'ours', at32, 'p99');
  const floorMax = maxSustained(runs, 'floor');
  const oursMax = maxSustained(runs, 'ours');
  const peerMax = maxSustained(runs, 'peer');
  const burstRate = median(runs.map((r) => r.burst.appliedPerSecond));
  const workerRss = median(runs.map((r) => r.memory.worker.peakMb));
  const apiRss = median(runs.map((r) => r.memory.api.peakMb));
  const exactlyOnce = runs.every((r) => r.burst.missing === 0 && r.burst.duplicated === 0);

  const ackRows: string[][] = [];
  for (const target of TARGETS) {
    CONCURRENCY.forEach((c, level) => {
      const p99 = ackMedian(runs, target, level, 'p99');
      const floor = ackMedian(runs, 'floor', level, 'p99');
      ackRows.push([
        target,
        String(c),
        fmt(ackMedian(runs, target, level, 'p50'), 2),
        fmt(ackMedian(runs, target, level, 'p95'), 2),
        fmt(p99, 2),
        fmt(p99 / floor, 2) + 'x',
        fmt(ackMedian(runs, target, level, 'rps'), 0),
        fmt(ackMedian(runs, target, level, 'errors'), 0),
      ]);
    });
  }
  const ackHeader = [
    'design',
    'conc.',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'p99/floor',
    'ok/s',
    'errors',
  ];
  const maxRows = TARGETS.map((t) => {
    const value = maxSustained(runs, t);
    return [t, fmt(value, 0), fmt(value / floorMax, 2) + 'x'];
  });
  const e2eRows = [
    ['steady: accepted -> visible p50 (ms)', fmt(median(runs.map((r) => r.steady.p50)), 0)],
    ['steady: accepted -> visible p99 (ms)', fmt(median(runs.map((r) => r.steady.p99)), 0)],
    [
      'steady: accepted -> appliedAt stamp p50 (ms)',
      fmt(median(runs.map((r) => r.steady.appliedAtP50)), 0),
    ],
    [
      'steady: errors / never visible',
      runs.map((r) => `${r.steady.errors}/${r.steady.unseen}`).join(', '),
    ],
    [
      `burst: seconds until all ${input.settings.burstEvents} applied`,
      fmt(median(runs.map((r) => r.burst.seconds)), 1),
    ],
    ['burst: applied events/s', fmt(burstRate, 0)],
    [
      'burst: ack rate (ok/s) / ack p99 (ms)',
      `${fmt(median(runs.map((r) => r.burst.ack.rps)), 0)} / ${fmt(median(runs.map((r) => r.burst.ack.p99)), 1)}`,
    ],
    [
      'burst: listed once / missing / duplicated (per run)',
      runs.map((r) => `${r.burst.verified}/${r.burst.missing}/${r.burst.duplicated}`).join(', '),
    ],
    [
      'burst: outcomes (run 1)',
      Object.entries(runs[0]?.burst.outcomes ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['peak RSS during burst: API (MB)', fmt(apiRss, 0)],
    ['peak RSS during burst: worker (MB)', fmt(workerRss, 0)],
    [
      'API: mean signal-with-start RPC over the whole run (ms, n)',
      `${fmt(input.signal.meanMs, 1)} (n=${input.signal.signals})`,
    ],
    ['ack-phase backlog drained after (s)', fmt(median(runs.map((r) => r.drainSeconds)), 1)],
  ];
  const targetRows = [
    [
      'ack p99 at c=32 <= 3x floor p99',
      `${fmt(oursP99 / floorP99, 2)}x`,
      verdict(oursP99 <= 3 * floorP99),
    ],
    [
      'ack throughput >= 0.3x floor',
      `${fmt(oursMax / floorMax, 2)}x`,
      verdict(oursMax >= 0.3 * floorMax),
    ],
    ['>= 150 applied events/s in the burst', `${fmt(burstRate, 0)}/s`, verdict(burstRate >= 150)],
    ['worker RSS <= 400 MB', `${fmt(workerRss, 0)} MB`, verdict(workerRss <= 400)],
    ['every burst event applied exactly once', exactlyOnce ? 'yes' : 'no', verdict(exactlyOnce)],
  ];
  void peerMax;

  const table = [
    plain(ackHeader, ackRows),
    '',
    plain(['design', 'max events/s, no error', 'ratio to floor'], maxRows),
    '',
    plain(['end to end (median of runs)', 'value'], e2eRows),
    '',
    plain(['target', 'measured', 'verdict'], targetRows),
  ].join('\n');

  const { info, settings } = input;
  const markdown = [
    '# Benchmark results',
    '',
    `Generated by \`${input.command}\` on ${input.startedAt.toISOString()}; medians over ${runs.length} repetitions.`,
    '',
    '## Machine and versions',
    '',
    md(
      ['item', 'value'],
      [
        ['CPU', `${info.cpuModel}, ${info.cores} cores`],
        ['RAM', `${info.ramGb} GB`],
        ['load average (1/5/15 min) before', input.loadBefore],
        ['load average after each repetition', runs.map((r) => r.load).join('; ')],
        ['load average at the end', input.loadAfter],
        ['Node.js', info.node],
        ['Temporal CLI (dev server)', info.temporal],
        ['MongoDB-wire server', info.mongoServer],
        ['Temporal SDK', info.sdk],
        ['autocannon', info.autocannon],
        [
          'stack',
          input.external
            ? 'a running stack (BENCH_API_URL)'
            : 'started by the benchmark on free ports, data in a temp dir',
        ],
      ],
    ),
    '',
    'The load generator, the stack and the floor/peer servers share the same cores, on a machine',
    'shared with other engineers running tests: absolute figures are noisy, ratios taken in the same',
    'run less so.',
    '',
    '## Targets',
    '',
    md(['target', 'measured', 'verdict'], targetRows),
    '',
    '## Ack latency and throughput',
    '',
    `Closed loop with autocannon, ${settings.ackSeconds} s per level, each request a new signed event`,
    '(250 new customers per group of 1,000 events). `floor`: node:http + constructEvent;',
    '`peer`: Express + constructEvent + a MongoDB upsert in the request; `ours`: the API',
    '(signature, validation, normalization, signal-with-start to Temporal).',
    '',
    md(ackHeader, ackRows),
    '',
    md(['design', 'max events/s, no error', 'ratio to floor'], maxRows),
    '',
    '## End to end',
    '',
    `Steady: ${settings.steadyRate} events/s open loop for ${settings.steadySeconds} s over`,
    `${Math.ceil((settings.steadyRate * settings.steadySeconds) / 4)} customers; each accepted event is`,
    'polled every 500 ms through `GET /api/subscription/customers/:id/events` (so figures carry up to',
    `500 ms of probe granularity). Burst: ${settings.burstEvents} events over ${settings.burstCustomers}`,
    `customers at concurrency ${settings.burstConnections}, timed until the event log holds all of them,`,
    'then every customer is read back through the read API and each event must be listed exactly once.',
    '',
    md(['figure', 'value'], e2eRows),
    '',
    '## Where the time goes',
    '',
    ...whereTimeGoes(input),
    '',
    '## Reproduce',
    '',
    '```',
    input.command,
    '```',
    '',
    'Knobs: BENCH_REPS, BENCH_ACK_SECONDS, BENCH_DRAIN_TIMEOUT_S, BENCH_STEADY_RATE,',
    'BENCH_STEADY_SECONDS, BENCH_BURST_EVENTS, BENCH_BURST_CUSTOMERS, BENCH_BURST_CONNECTIONS.',
    'Against a running stack: BENCH_API_URL, BENCH_MONGODB_URI, BENCH_WEBHOOK_SECRET,',
    'BENCH_ADMIN_TOKEN, BENCH_API_PID, BENCH_WORKER_PID.',
    '',
  ].join('\n');
  return { table, markdown };
}

/** CPU per process during the burst, the history breakdown, and the hand-kept fixes log. */
function whereTimeGoes(input: ReportInput): string[] {
  const { runs, breakdown: b } = input;
  const names = Object.keys(runs[0]?.burstCpu ?? {});
  const total = median(runs.map((r) => Object.values(r.burstCpu).reduce((x, y) => x + y, 0)));
  const cpuRows = names.map((name) => {
    const s = median(runs.map((r) => r.burstCpu[name] ?? Number.NaN));
    return [name, fmt(s, 1), `${fmt((100 * s) / total, 0)} %`];
  });
  const lines = [
    'CPU seconds per stack process during the burst (median of runs; the load generator and the',
    "other engineers' processes are not counted):",
    '',
    cpuRows.length > 0
      ? md(['process', 'CPU s', 'share'], cpuRows)
      : '(not measured: a running stack was used)',
    '',
  ];
  if (b) {
    lines.push(
      `Per applied event, from the Temporal histories of ${b.workflows} customer workflows`,
      `(${b.events} signalled events; server timestamps; medians in ms):`,
      '',
      md(
        ['span', 'ms'],
        [
          [
            'signal recorded -> workflow task started (task queue wait)',
            fmt(b.signalToTaskStart, 0),
          ],
          ['workflow task started -> completed (worker + RPC)', fmt(b.workflowTask, 0)],
          ['projectState scheduled -> started (activity queue wait)', fmt(b.activityQueue, 0)],
          ['projectState started -> completed (MongoDB writes + RPC)', fmt(b.activityRun, 0)],
          ['projectState run p95', fmt(b.activityRunP95, 0)],
          ['projectState completed -> next workflow task completed', fmt(b.afterActivity, 0)],
          ['signal recorded -> projectState completed', fmt(b.signalToApplied, 0)],
        ],
      ),
      '',
    );
  }
  const fixes = join(__dirname, 'FIXES.md');
  if (existsSync(fixes)) lines.push(readFileSync(fixes, 'utf8').trim());
  return lines;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function md(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function plain(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
