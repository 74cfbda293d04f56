// Jest set-up of the GitOps suite (`npm run test:gitops`), which needs the stack that `test/gitops/run.sh`
// starts (a real ArgoCD over a simulated cluster). The main `jest.config.js` ignores `test/gitops/`.

const { transform, transformIgnorePatterns } = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/gitops'],
  // Only the suite's files: test/gitops/support/ tests (the github proxy's) run in plain `npm test`.
  testMatch: ['<rootDir>/test/gitops/*.test.ts'],
  // As the other groups: @kubernetes/client-node bundled (the new environment's access review asks through it).
  transform,
  transformIgnorePatterns,
  // One stack for every file, and the files change it (Git, live objects): one after another, in a fixed
  // order (run.sh passes --runInBand).
  testSequencer: '<rootDir>/test/gitops/support/file-order.js',
  testTimeout: 120000,
};
