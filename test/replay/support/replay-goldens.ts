/**
 * Replays golden histories against a workflow bundle (or the workflow sources) in one replay
 * worker, and turns each failure into an error that names the history file and the mismatch.
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { historyFromFileJson } from '../../../scripts/histories/codec';
import { ROOT } from '../../../scripts/lib/paths';
import { quietTemporalRuntime } from '../../support/quiet-runtime';

quietTemporalRuntime();

export type WorkflowCode = Pick<ReplayWorkerOptions, 'workflowBundle' | 'workflowsPath'>;

/** A golden history that the workflow code no longer reproduces. */
export class HistoryReplayError extends Error {
  constructor(
    readonly file: string,
    readonly mismatch: string,
    readonly kind: string,
  ) {
    super(
      `${file} no longer replays against the current workflow code (${kind}): ${mismatch}\n` +
        'A change to the commands the workflow issues breaks running customers: put it behind ' +
        "patched('<name>') (see docs/REPLAY.md), or, if the history itself is outdated on purpose, " +
        're-record it with npm run histories:record.',
    );
    this.name = 'HistoryReplayError';
  }
}

export interface ReplayOutcome {
  /** Path relative to the repository root, e.g. test/histories/happy-path.v1.json. */
  file: string;
  error?: HistoryReplayError;
}

export async function replayGoldenHistories(
  files: string[],
  code: WorkflowCode,
): Promise<ReplayOutcome[]> {
  const byId = new Map(files.map((file) => [basename(file), relative(ROOT, file)]));
  const histories = files.map((file) => ({
    workflowId: basename(file),
    history: historyFromFileJson(readFileSync(file, 'utf8'), file),
  }));
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories({ ...code }, histories)) {
    const file = byId.get(result.workflowId) ?? result.workflowId;
    outcomes.push({
      file,
      error: result.error
        ? new HistoryReplayError(file, result.error.message, result.error.name)
        : undefined,
    });
  }
  return outcomes;
}

/** The global setup's pre-built bundle when there is one; else the sources (slower: webpack). */
export function currentWorkflowCode(): WorkflowCode {
  const bundle = process.env.TEST_WORKFLOW_BUNDLE_PATH;
  if (bundle) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../../../workflows') };
}
