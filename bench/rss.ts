/**
 * Peak resident memory of a process tree, sampled from /proc. The API and the worker run under
 * tsx, whose launcher spawns the real node process; the largest process of the tree is the one
 * that counts.
 */
import { readdirSync, readFileSync } from 'node:fs';

function status(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

function kbField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/** The pid and its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = status(Number(entry));
    const ppid = text ? kbLessField(text, 'PPid') : 0;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function kbLessField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/** The tree's largest process: its current RSS and its high-water mark, in MB. */
export function treeRss(root: number): { rssMb: number; hwmMb: number } {
  let best = { rssMb: 0, hwmMb: 0 };
  for (const pid of processTree(root)) {
    const text = status(pid);
    if (!text) continue;
    const rssMb = kbField(text, 'VmRSS') / 1024;
    if (rssMb > best.rssMb) best = { rssMb, hwmMb: kbField(text, 'VmHWM') / 1024 };
  }
  return best;
}

/** Samples every `intervalMs` until stopped; returns the peak RSS seen (and the last VmHWM). */
export function sampleRss(root: number | undefined, intervalMs = 200) {
  let peakMb = 0;
  let hwmMb = 0;
  const tick = () => {
    if (root === undefined) return;
    const now = treeRss(root);
    peakMb = Math.max(peakMb, now.rssMb);
    hwmMb = Math.max(hwmMb, now.hwmMb);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop(): { peakMb: number; hwmMb: number } {
      clearInterval(timer);
      tick();
      return root === undefined ? { peakMb: Number.NaN, hwmMb: Number.NaN } : { peakMb, hwmMb };
    },
  };
}
