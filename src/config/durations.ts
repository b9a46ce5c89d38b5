/**
 * Durations in the format Temporal accepts ("3 days", "90s", "1.5 hours", "250ms").
 * Pure and workflow-safe, so workflow code and validators can share it.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i;

export class InvalidDurationError extends Error {
  constructor(readonly input: string) {
    super(`"${input}" is not a duration; write it like "3 days", "12 hours", "90s" or "500ms".`);
    this.name = 'InvalidDurationError';
  }
}

/** Parses one duration to milliseconds. A bare number is milliseconds, as in Temporal. */
export function parseDuration(input: string): number {
  const match = DURATION.exec(input.trim());
  if (!match) throw new InvalidDurationError(input);
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'ms').toLowerCase();
  const factor = UNIT_MS[unit];
  if (factor === undefined) throw new InvalidDurationError(input);
  return Math.round(amount * factor);
}

/** Parses a comma-separated list of durations. */
export function parseDurationList(input: string): number[] {
  return input
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(parseDuration);
}

/** Formats milliseconds for humans and for Temporal, choosing the largest whole unit. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['days', 86_400_000],
    ['hours', 3_600_000],
    ['minutes', 60_000],
    ['seconds', 1_000],
  ];
  for (const [name, size] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}`;
  }
  return `${ms}ms`;
}
