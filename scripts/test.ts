/**
 * `npm test`: the type check, the linters, then Jest, stopping at the first failing step. Extra
 * arguments go to Jest (`npm test -- test/infra`). Jest's global setup starts every server the
 * tests need; this script makes sure the tools for them are built first, with visible progress.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NODE_BIN, ROOT } from './lib/paths';
import { ensureStripeMock, ensureTemporal } from './tools/go-tools';
import { chooseMongo } from './tools/mongo';
import { ensureTestServer } from './tools/test-server';

interface Step {
  name: string;
  command: string;
  args: string[];
}

async function main(): Promise<number> {
  await ensureTemporal();
  await ensureStripeMock();
  await chooseMongo();
  await ensureTestServer();

  const steps: Step[] = [
    {
      name: 'type check',
      command: join(NODE_BIN, 'tsc'),
      args: ['--noEmit', '-p', 'tsconfig.json'],
    },
    { name: 'eslint', command: join(NODE_BIN, 'eslint'), args: ['.'] },
    { name: 'prettier', command: join(NODE_BIN, 'prettier'), args: ['--check', '.'] },
    { name: 'jest', command: join(NODE_BIN, 'jest'), args: process.argv.slice(2) },
  ];
  for (const step of steps) {
    const started = Date.now();
    process.stdout.write(
      `\n[test] ${step.name}: ${[step.command.replace(ROOT + '/', ''), ...step.args].join(' ')}\n`,
    );
    const result = spawnSync(step.command, step.args, { cwd: ROOT, stdio: 'inherit' });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) {
      process.stderr.write(`\n[test] ${step.name} failed after ${seconds} s.\n`);
      return result.status ?? 1;
    }
    process.stdout.write(`[test] ${step.name} passed in ${seconds} s.\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
