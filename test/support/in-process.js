// Set-up of the unit group (`npm test`): its tests run in-process, so that the whole group takes
// seconds. A test that starts a process (git, kustomize, a Go tool, a bundled CLI) fails here, saying
// where it belongs; `jest.e2e.config.js` runs those (`npm run test:e2e`).
/* global require, expect */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads set-up files as CommonJS
const childProcess = require('node:child_process');

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = (file) => {
    const test = expect.getState().testPath ?? 'this test file';
    throw new Error(
      `[TEST001] ${test} started a process (${name} ${String(file)}) in the unit group, which runs ` +
        'in-process. Fix: test the function the command calls, or name the file *.e2e.test.ts ' +
        '(npm run test:e2e runs it).',
    );
  };
}
