// The process group (`npm run test:e2e`): tests named *.e2e.test.ts, which start processes (the
// commands from their bundles, git, kustomize, the Go tools) and so take minutes, not seconds.
// `.ci/run` runs it beside the cluster suite.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.e2e.test.ts'],
};
