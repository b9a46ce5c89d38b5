/**
 * The Go-built servers of the local stack, pinned and cached in `.tools/bin`. `GOBIN_DIR` may
 * point elsewhere (used to prove a from-scratch build without touching the shared cache).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOOLS_BIN, TOOLS_DIR } from '../lib/paths';
import { findOnPath, isCached, markCached } from './cache';
import { FERRETDB_PATCH_ID, patchFerretDbSource } from './ferretdb-patch';
import { progress, runStep, ToolBuildError } from './run-step';

export const TEMPORAL_CLI = { module: 'github.com/temporalio/cli/cmd/temporal', version: 'v1.5.1' };
export const STRIPE_MOCK = { module: 'github.com/stripe/stripe-mock', version: 'v0.203.0' };
export const FERRETDB = { module: 'github.com/FerretDB/FerretDB', version: 'v1.24.2' };

function binDir(): string {
  const dir = process.env.GOBIN_DIR ?? TOOLS_BIN;
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function goInstall(name: string, what: string, pkg: { module: string; version: string }) {
  const target = join(binDir(), name);
  if (isCached(target, pkg.version)) return target;
  await runStep({
    what,
    command: 'go',
    args: ['install', `${pkg.module}@${pkg.version}`],
    env: { ...process.env, GOBIN: binDir(), CGO_ENABLED: '0' },
  });
  markCached(target, pkg.version);
  return target;
}

/** A `temporal` on PATH wins; otherwise the pinned CLI is built once. */
export async function ensureTemporal(): Promise<string> {
  const onPath = findOnPath('temporal');
  if (onPath && !process.env.GOBIN_DIR) {
    progress(`using temporal from PATH (${onPath})`);
    return onPath;
  }
  return goInstall('temporal', `Building the Temporal CLI ${TEMPORAL_CLI.version}`, TEMPORAL_CLI);
}

export function ensureStripeMock(): Promise<string> {
  return goInstall('stripe-mock', `Building stripe-mock ${STRIPE_MOCK.version}`, STRIPE_MOCK);
}

/**
 * FerretDB panics at start-up when built with a plain `go install`: it requires the file
 * build/version/version.txt, which release tooling generates and the module archive lacks.
 * So the module source is copied out of the Go module cache, the file is written, the `_id`
 * index patch is applied (./ferretdb-patch.ts), and the binary is built from that copy.
 */
export async function ensureFerretDb(): Promise<string> {
  const target = join(binDir(), 'ferretdb');
  const build = `${FERRETDB.version}+${FERRETDB_PATCH_ID}`;
  if (isCached(target, build)) return target;
  mkdirSync(TOOLS_DIR, { recursive: true });
  const work = mkdtempSync(join(TOOLS_DIR, 'ferretdb-src-'));
  try {
    await runStep({
      what: `Downloading FerretDB ${FERRETDB.version} sources`,
      command: 'go',
      args: ['mod', 'download', `${FERRETDB.module}@${FERRETDB.version}`],
      cwd: work,
    });
    const lookup = spawnSync(
      'go',
      ['mod', 'download', '-json', `${FERRETDB.module}@${FERRETDB.version}`],
      {
        cwd: work,
        encoding: 'utf8',
      },
    );
    const moduleDir = (JSON.parse(lookup.stdout || '{}') as { Dir?: string }).Dir;
    if (!moduleDir)
      throw new ToolBuildError('Locating FerretDB sources', 'go mod download -json', lookup.stderr);
    const source = join(work, 'src');
    cpSync(moduleDir, source, { recursive: true });
    // Files in the module cache are read-only; the copy must be writable.
    spawnSync('chmod', ['-R', 'u+w', source]);
    writeFileSync(join(source, 'build', 'version', 'version.txt'), `${FERRETDB.version}\n`);
    patchFerretDbSource(source);
    await runStep({
      what: `Building FerretDB ${FERRETDB.version}`,
      command: 'go',
      args: ['build', '-trimpath', '-o', target, './cmd/ferretdb'],
      cwd: source,
      env: { ...process.env, CGO_ENABLED: '0' },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  markCached(target, build);
  return target;
}
