/**
 * A throw-away copy of the workflow sources, to prove what replay catches: the copy lives in a
 * temporary folder next to links to the real `src`, `activities` and `node_modules`, so its
 * relative imports resolve as in the repository, and it can be edited and bundled freely.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ROOT } from '../../../scripts/lib/paths';
import type { WorkflowCode } from './replay-goldens';

export class EditAnchorMissingError extends Error {
  constructor(file: string, anchor: string) {
    super(
      `The text "${anchor}" is no longer in ${file}; update the edit in test/replay so it still ` +
        'makes the change it describes.',
    );
    this.name = 'EditAnchorMissingError';
  }
}

export class WorkflowCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'citrus-workflow-copy-'));

  constructor() {
    cpSync(join(ROOT, 'workflows'), join(this.dir, 'workflows'), { recursive: true });
    for (const linked of ['src', 'activities', 'node_modules']) {
      symlinkSync(join(ROOT, linked), join(this.dir, linked), 'dir');
    }
  }

  /** Replaces the first occurrence of `anchor` in a file of the copy (path under workflows/). */
  edit(file: string, anchor: string, replacement: string): void {
    const path = join(this.dir, 'workflows', file);
    const source = readFileSync(path, 'utf8');
    if (!source.includes(anchor)) throw new EditAnchorMissingError(`workflows/${file}`, anchor);
    writeFileSync(path, source.replace(anchor, replacement));
  }

  async bundle(): Promise<WorkflowCode> {
    const noop = () => undefined;
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(this.dir, 'workflows', 'index.ts'),
      logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop },
    });
    return { workflowBundle: { code } };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
