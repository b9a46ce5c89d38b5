/**
 * The workflow bundle the worker runs. Bundling with webpack inside the worker would leave a few
 * hundred MB of webpack's heap in the worker's RSS for the life of the process (V8 seldom hands
 * pages back), so a short-lived child process builds the bundle and the worker only loads the
 * file. WORKFLOW_BUNDLE_PATH skips the build for images that ship a bundle made at build time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

export class WorkflowBundleError extends Error {
  constructor(detail: string) {
    super(
      `Bundling the workflow code failed: ${detail}. Run \`npm run typecheck\` to find the ` +
        'error in workflows/, or set WORKFLOW_BUNDLE_PATH to a bundle built beforehand.',
    );
    this.name = 'WorkflowBundleError';
  }
}

export interface WorkflowBundle {
  codePath: string;
  /** Removes a bundle this module built; a bundle given by path is left alone. */
  dispose(): Promise<void>;
}

export async function prepareWorkflowBundle(prebuilt: string | null): Promise<WorkflowBundle> {
  if (prebuilt) return { codePath: prebuilt, dispose: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'citrus-workflows-'));
  const codePath = join(dir, 'workflow-bundle.js');
  try {
    await runBundler(codePath);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { codePath, dispose: () => rm(dir, { recursive: true, force: true }) };
}

function runBundler(outPath: string): Promise<void> {
  // Same runtime flags as this process (the tsx loader when run from source), same extension.
  const entry = join(__dirname, `bundle-workflows${extname(__filename)}`);
  const child = spawn(process.execPath, [...process.execArgv, entry, outPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new WorkflowBundleError(error.message)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new WorkflowBundleError(stderr.trim() || `the bundler exited (${signal ?? code})`));
    });
  });
}
