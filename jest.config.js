// The unit group (`npm test`): tests that run in-process, in seconds. A test that must start a process
// (a CLI end to end, a git round trip, a kustomize render, a Go tool) is named *.e2e.test.ts and runs
// in the second group (`npm run test:e2e`, jest.e2e.config.js); test/support/in-process.js fails any
// other that tries.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.e2e\\.test\\.ts$'],
  setupFiles: ['<rootDir>/test/support/in-process.js'],
};
