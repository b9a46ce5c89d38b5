/**
 * A tiny stamp next to each cached tool records the version it was built from, so that a pinned
 * version bump rebuilds it and everything else starts in seconds.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function isCached(path: string, version: string): boolean {
  const stamp = `${path}.version`;
  return existsSync(path) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version;
}

export function markCached(path: string, version: string): void {
  writeFileSync(`${path}.version`, `${version}\n`);
}

/** The absolute path of a program on PATH, or undefined. */
export function findOnPath(program: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}
