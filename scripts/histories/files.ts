/**
 * Where golden histories live and how they are named: `test/histories/<scenario>.<version>.json`.
 * A workflow that continued as new is saved run by run, oldest first: `<scenario>-run-1`, ...
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/paths';

export const HISTORIES_DIR = join(ROOT, 'test', 'histories');

/**
 * The code version new recordings are named with. Bump it when the workflow changes its commands
 * (behind `patched()`), and keep the files of earlier versions: they are the running customers.
 */
export const WORKFLOW_CODE_VERSION = 'v4';

export function historyFileName(scenario: string, version: string, run?: number): string {
  return `${scenario}${run === undefined ? '' : `-run-${run}`}.${version}.json`;
}

/** Every golden history file, sorted by name. */
export function historyFiles(dir = HISTORIES_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}
