// What the unit group (jest.config.js) and the process group (jest.e2e.config.js) share.

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/cluster/, test/gitops/*.test.ts and test/pulumi-engine/ need the stacks their run.sh starts
  // (npm run test:cluster, test:gitops, test:pulumi).
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/cluster/',
    '<rootDir>/test/pulumi-engine/',
    '<rootDir>/test/gitops/[^/]+\\.test\\.ts$',
  ],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  // Every core, not jest's default of one fewer: on a 2-core machine one worker leaves a core idle.
  maxWorkers: '100%',
  testTimeout: 60000,
};
