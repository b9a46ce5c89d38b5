/**
 * Jest runs the TypeScript tests through SWC (no type check here; `npm test` runs tsc first).
 * Global setup starts every server the tests need on free ports and exports their addresses.
 * @type {import('jest').Config}
 */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/support/',
    '<rootDir>/test/histories/',
  ],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/worker-env.ts'],
  // Workflow tests wait on real servers; a minute is generous but still catches a hang.
  testTimeout: 60_000,
  // The machine has two cores; each worker runs its own Temporal workers.
  maxWorkers: 2,
};
