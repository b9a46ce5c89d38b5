/**
 * Production mode refuses the local development secret and token: `loadConfig` lists every
 * problem at once, and the real API and worker processes exit non-zero with that one message and
 * no stack trace.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  ConfigError,
  LOCAL_DEV_ADMIN_TOKEN,
  LOCAL_DEV_WEBHOOK_SECRET,
  loadConfig,
} from '../../src/config';

const ROOT = join(__dirname, '..', '..');

const PRODUCTION_WITH_DEFAULTS: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  STRIPE_WEBHOOK_SECRET: LOCAL_DEV_WEBHOOK_SECRET,
  ADMIN_API_TOKEN: LOCAL_DEV_ADMIN_TOKEN,
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function run(entry: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...PRODUCTION_WITH_DEFAULTS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('production mode', () => {
  it('refuses the local development webhook secret and admin token together', () => {
    const problems = problemsOf(PRODUCTION_WITH_DEFAULTS);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('STRIPE_WEBHOOK_SECRET'),
        expect.stringContaining('ADMIN_API_TOKEN'),
      ]),
    );
  });

  it('refuses the development secret even among rolled secrets', () => {
    const problems = problemsOf({
      ...PRODUCTION_WITH_DEFAULTS,
      STRIPE_WEBHOOK_SECRET: `whsec_real_one_0123456789,${LOCAL_DEV_WEBHOOK_SECRET}`,
      ADMIN_API_TOKEN: 'a-real-token-of-enough-length-0123456789',
    });
    expect(problems).toEqual([expect.stringContaining('STRIPE_WEBHOOK_SECRET')]);
  });

  it('refuses a missing secret and token', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('STRIPE_WEBHOOK_SECRET is required'),
        expect.stringContaining('ADMIN_API_TOKEN is required'),
      ]),
    );
  });

  it('accepts real values', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        STRIPE_WEBHOOK_SECRET: 'whsec_real_one_0123456789',
        ADMIN_API_TOKEN: 'a-real-token-of-enough-length-0123456789',
      }),
    ).toEqual([]);
  });

  it.each(['src/api/main.ts', 'src/worker/main.ts'])(
    '%s exits non-zero with one message listing both problems and no stack trace',
    async (entry) => {
      const { code, output } = await run(entry);
      expect(code).not.toBe(0);
      expect(output).toContain('STRIPE_WEBHOOK_SECRET holds the local development secret');
      expect(output).toContain('ADMIN_API_TOKEN is the local development token');
      expect(output).not.toMatch(/\n\s+at \S/);
      expect(output).not.toContain(LOCAL_DEV_WEBHOOK_SECRET);
      expect(output).not.toContain(LOCAL_DEV_ADMIN_TOKEN);
    },
    60_000,
  );
});
