// Jest set-up of the cluster conformance suite (`npm run test:cluster`), which needs the API server that
// `test/cluster/run.sh` starts. The main `jest.config.js` ignores `test/cluster/`.

// @kubernetes/client-node 1.x and its OIDC dependencies are ES modules: the transform makes them CommonJS too.
const esmPackages = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.[tj]s$': '<rootDir>/test/support/esbuild-transform.js' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  // One API server for every file: files run one after another (run.sh passes --runInBand).
  testTimeout: 120000,
};
