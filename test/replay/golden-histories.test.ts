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

  it('cover every recorded scenario', () => {
    const names = files.map((file) => basename(file));
    for (const scenario of SCENARIOS) {
      expect(
        names.some(
          (name) =>
            name.startsWith(`${scenario.name}.`) || name.startsWith(`${scenario.name}-run-1.`),
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

  it('record the bounded-run-under-steady-traffic patch where a burst crossed the bound (v3)', () => {
    const burst = files.filter((file) => /burst-over-bound-run-1\.v3\.json$/.test(file));
    expect(burst).toHaveLength(1);
    expect(patchIds(burst[0] as string)).toContain('bounded-run-under-steady-traffic');
  });

  it('record the batch-queued-events patch where queued events shared a projection (v4)', () => {
    const burst = files.filter((file) => /burst-over-bound-run-1\.v4\.json$/.test(file));
    expect(burst).toHaveLength(1);
    expect(patchIds(burst[0] as string)).toContain('batch-queued-events');
  });

  it.each(files.map((file) => [basename(file)]))('%s replays against the current code', (name) => {
    const outcome = outcomes.find((o) => basename(o.file) === name);
    expect(outcome).toBeDefined();
    if (outcome?.error) throw outcome.error;
  });
});

/** The patch IDs recorded in a history file's markers (their payloads are base64 JSON). */
function patchIds(file: string): string[] {
  const history = JSON.parse(readFileSync(file, 'utf8')) as {
    events: Array<{
      markerRecordedEventAttributes?: {
        details?: Record<string, { payloads?: Array<{ data?: string }> }>;
      };
    }>;
  };
  return history.events.flatMap((event) => {
    const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    if (!data) return [];
    return [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id];
  });
}
