/**
 * Proves that the golden-history replay catches a change that would break running customers:
 * a copy of the workflow with a new timer at the start of its main loop must fail to replay,
 * with an error that names the history, while the unmodified copy replays cleanly.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { historyFiles } from '../../scripts/histories/files';
import { HistoryReplayError, replayGoldenHistories } from './support/replay-goldens';
import { WorkflowCopy } from './support/workflow-copy';

const files = historyFiles();
/** Two webpack bundles on a shared 2-core machine. */
const BUNDLE_AND_REPLAY_MS = 180_000;

describe('replay of the golden histories', () => {
  const copies: WorkflowCopy[] = [];
  afterAll(() => copies.forEach((copy) => copy.remove()));

  it(
    'passes against an unmodified copy of the workflow',
    async () => {
      const copy = new WorkflowCopy();
      copies.push(copy);
      const outcomes = await replayGoldenHistories(files, await copy.bundle());
      expect(outcomes).toHaveLength(files.length);
      expect(outcomes.filter((o) => o.error).map((o) => o.error?.message)).toEqual([]);
    },
    BUNDLE_AND_REPLAY_MS,
  );

  it(
    'fails, naming each history and the mismatch, when a new timer starts the main loop',
    async () => {
      const copy = new WorkflowCopy();
      copies.push(copy);
      copy.edit(
        'customer/workflow.ts',
        '  for (;;) {\n',
        "  for (;;) {\n    await sleep('1 second');\n",
      );
      copy.edit('customer/workflow.ts', '  setHandler,\n', '  setHandler,\n  sleep,\n');
      // A run's tail that applied nothing never reached the new timer before its history ends
      // (continue-as-new-run-3 only read its settings), so replay has nothing to compare.
      const reachingTheLoop = files.filter((file) =>
        readFileSync(file, 'utf8').includes('"projectState"'),
      );
      const tails = files.filter((file) => !reachingTheLoop.includes(file));
      for (const tail of tails) expect(basename(tail)).toMatch(/^continue-as-new-run-3\./);
      const outcomes = await replayGoldenHistories(reachingTheLoop, await copy.bundle());
      expect(outcomes).toHaveLength(reachingTheLoop.length);
      for (const outcome of outcomes) {
        expect(outcome.error).toBeInstanceOf(HistoryReplayError);
        expect(outcome.error?.message).toContain(outcome.file);
        expect(outcome.error?.message).toMatch(/nondetermin/i);
      }
      expect(outcomes.map((o) => o.file)).toContain('test/histories/happy-path.v1.json');
    },
    BUNDLE_AND_REPLAY_MS,
  );
});
