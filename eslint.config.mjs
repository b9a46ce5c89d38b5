/**
 * Lint rules: typescript-eslint with type information everywhere, plus the determinism fence
 * around workflow code (no Node built-ins, no I/O libraries, no wall clock or randomness there;
 * the Temporal workflow sandbox would fail or replay differently at run time).
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
const ioModules = [
  'mongoose',
  'mongodb',
  'nodemailer',
  'stripe',
  'express',
  'pino',
  'prom-client',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
];
const workflowMessage = 'Workflow code must stay deterministic: do I/O in an activity instead.';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', '.data/', '.tools/', 'test-artifacts/'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Implementations of async interfaces (activities, fakes) may well have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Jest's asymmetric matchers (expect.any, expect.objectContaining) are typed as any.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioModules].map((name) => ({
            name,
            message: workflowMessage,
          })),
          patterns: [{ group: ['node:*'], message: workflowMessage }],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Read the time in one place (the workflow clock) so replays and tests agree.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Use uuid4() or a seeded value from @temporalio/workflow.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'fetch', message: workflowMessage },
        { name: 'process', message: workflowMessage },
        { name: 'require', message: workflowMessage },
      ],
    },
  },
);
