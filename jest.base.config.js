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
  // @kubernetes/client-node (drift's client, lib/drift/live-cluster.ts) ships ES modules only: the
  // transform bundles it from its entry into one CommonJS module, cached like our sources. Every other
  // package is loaded as it is.
  transform: {
    '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js',
    '/node_modules/@kubernetes/client-node/dist/index\\.js$': '<rootDir>/test/support/esbuild-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@kubernetes/client-node/dist/index\\.js$)'],
  // Every core, not jest's default of one fewer: on a 2-core machine one worker leaves a core idle.
  maxWorkers: '100%',
  testTimeout: 60000,
};
