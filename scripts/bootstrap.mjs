#!/usr/bin/env node
/**
 * Entry point of `npm start` and `npm test`. It runs before any dependency is installed, so it is
 * plain Node ESM with built-ins only: it installs node_modules when they are missing or stale,
 * checks the programs the chosen command needs, then hands off to the TypeScript script through
 * tsx. A missing prerequisite ends with one sentence naming it and how to install it, never a
 * stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commands = { start: 'scripts/start.ts', test: 'scripts/test.ts' };

class PrerequisiteError extends Error {}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  const script = commands[command];
  if (!script) {
    throw new PrerequisiteError(
      `Usage: node scripts/bootstrap.mjs <${Object.keys(commands).join('|')}>`,
    );
  }
  checkNode();
  installDependencies();
  checkPrograms(command);
  return handOff(script, rest);
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    throw new PrerequisiteError(
      `Node.js ${process.versions.node} is too old: install Node.js 20 or newer (https://nodejs.org or your package manager).`,
    );
  }
}

/** npm ci when node_modules is missing or older than the lockfile; npm's own marker tells which. */
function installDependencies() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && mtime(marker) < mtime(lock) - 1000);
  if (!stale) return;
  const args = existsSync(lock)
    ? ['ci', '--no-audit', '--no-fund']
    : ['install', '--no-audit', '--no-fund'];
  log(`Installing Node dependencies (npm ${args[0]}) ...`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError(
      `npm ${args[0]} failed (exit ${result.status ?? result.error?.message}); fix the error above and run the command again.`,
    );
  }
}

function mtime(path) {
  return statSync(path).mtimeMs;
}

/**
 * Go builds the Temporal CLI, stripe-mock and FerretDB on first use; Java and Maven run the
 * time-skipping test server, which only the tests need. Go is required only while a tool is
 * still missing from .tools/bin (a `temporal` on PATH counts as present).
 */
function checkPrograms(command) {
  const goTools = ['temporal', 'stripe-mock'];
  if (!process.env.MONGODB_URI && !onPath('mongod')) goTools.push('ferretdb');
  const needsGo = goTools.some(
    (tool) =>
      !existsSync(join(root, '.tools', 'bin', tool)) &&
      !(tool === 'temporal' && onPath('temporal')),
  );
  if (needsGo) {
    requireProgram(
      'go',
      ['version'],
      'Go 1.22 or newer (https://go.dev/doc/install, or `apt-get install golang`)',
    );
  }
  if (command === 'test') {
    requireProgram(
      'java',
      ['-version'],
      'a Java runtime, 11 or newer (`apt-get install default-jre-headless`)',
    );
    if (!existsSync(join(root, '.tools', 'test-server', 'lib'))) {
      requireProgram(
        'mvn',
        ['-v'],
        'Apache Maven (`apt-get install maven`, or https://maven.apache.org/install.html)',
      );
    }
  }
}

function onPath(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

function requireProgram(program, args, howToInstall) {
  const result = spawnSync(program, args, { stdio: 'ignore', timeout: 20_000 });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError(
      `${program} is not installed or not on PATH: install ${howToInstall}, then run the command again.`,
    );
  }
}

/** Runs the TypeScript script and mirrors its exit; signals reach it through the process group. */
function handOff(script, args) {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
  // Ctrl-C reaches the child directly (same process group); this process only waits for it.
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
}

function log(message) {
  process.stdout.write(`[bootstrap] ${message}\n`);
}

try {
  main();
} catch (error) {
  if (error instanceof PrerequisiteError) {
    process.stderr.write(`\n${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(
      `\nUnexpected bootstrap failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
