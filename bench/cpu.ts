/**
 * CPU seconds used by each process of the stack (user + system, the process and its children
 * still alive), read from /proc. Taken before and after a phase, the difference says which
 * process the phase's work went to: ours (API, worker) or the servers' (Temporal, FerretDB).
 */
import { readFileSync } from 'node:fs';
import { processTree } from './rss';

const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export type CpuSnapshot = Record<string, number>;

export function cpuSnapshot(pids: Record<string, number | undefined>): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (pid === undefined) continue;
    out[name] = processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);
  }
  return out;
}

/** CPU seconds spent by each process between two snapshots. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, end] of Object.entries(after)) out[name] = end - (before[name] ?? 0);
  return out;
}
