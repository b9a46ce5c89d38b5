/**
 * `npm run test:faults`: the fault drills (test/faults/*.drill.ts). They kill and restart real
 * processes and take minutes, so `npm test` (testMatch *.test.ts) does not pick them up. Same
 * transform and global setup as jest.config.js; one drill at a time on a two-core machine.
 * @type {import('jest').Config}
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config like jest.config.js
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.drill.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/support/'],
  // Each drill bounds its own phases; this only catches a hang.
  testTimeout: 150_000,
  maxWorkers: 1,
  // A killed child's half-closed sockets can keep Jest alive after teardown; never hang CI.
  forceExit: true,
};
