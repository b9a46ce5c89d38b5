/**
 * Child-process entry: bundles the workflow code with webpack and writes it to the path given as
 * the only argument. The worker runs this in a process of its own (see workflow-bundle.ts).
 */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

async function bundle(outPath: string | undefined): Promise<void> {
  if (!outPath) throw new Error('Usage: bundle-workflows <output file>.');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    // Webpack's progress lines would interleave with the worker's structured log.
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  await writeFile(outPath, code);
}

bundle(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
