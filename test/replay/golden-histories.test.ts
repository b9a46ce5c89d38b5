/**
 * CI's guard for running customers: every golden history in test/histories replays against the
 * current workflow code. Recorded by `npm run histories:record` from the real stack.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { historyFiles } from '../../scripts/histories/files';
import { SCENARIOS } from '../../scripts/histories/scenarios';
import {
  currentWorkflowCode,
  replayGoldenHistories,
  type ReplayOutcome,
} from './support/replay-goldens';

const files = historyFiles();

describe('golden histories', () => {
  let outcomes: ReplayOutcome[];

  beforeAll(async () => {
    outcomes = await replayGoldenHistories(files, currentWorkflowCode());
  }, 120_000);

  it('cover every recorded scenario in the first code version', () => {
    const names = files.map((file) => basename(file));
    for (const scenario of SCENARIOS) {
      expect(
        names.some(
          (name) =>
            name.startsWith(`${scenario.name}.v1.`) ||
            name.startsWith(`${scenario.name}-run-1.v1.`),
        ),
      ).toBe(true);
    }
  });

  it('include both runs of the workflow that continued as new', () => {
    const names = files.map((file) => basename(file));
    expect(names).toEqual(
      expect.arrayContaining(['continue-as-new-run-1.v1.json', 'continue-as-new-run-2.v1.json']),
    );
  });

  it('record the skip-unchanged-search-attributes patch marker in the v2 histories', () => {
    const v2 = files.filter((file) => file.endsWith('.v2.json'));
    expect(v2.length).toBeGreaterThan(0);
    for (const file of v2) {
      expect(readFileSync(file, 'utf8')).toContain('EVENT_TYPE_MARKER_RECORDED');
    }
  });

  it.each(files.map((file) => [basename(file)]))('%s replays against the current code', (name) => {
    const outcome = outcomes.find((o) => basename(o.file) === name);
    expect(outcome).toBeDefined();
    if (outcome?.error) throw outcome.error;
  });
});
