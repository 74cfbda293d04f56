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
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  testTimeout: 60000,
  // Every core, not jest's default of one fewer: many tests wait on the git, tsx and kustomize processes
  // they start, and on a 2-core machine one worker left a core idle (4 min against under 3 for npm test).
  maxWorkers: '100%',
};
