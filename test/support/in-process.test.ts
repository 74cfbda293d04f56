import { execFileSync, spawn, spawnSync } from 'node:child_process';

describe('the unit group runs in-process (test/support/in-process.js)', () => {
  test.each<[string, () => unknown, string]>([
    ['execFileSync', () => execFileSync('git', ['--version']), 'execFileSync git'],
    ['spawnSync', () => spawnSync('kustomize', ['version']), 'spawnSync kustomize'],
    ['spawn', () => spawn(process.execPath, ['-e', '']), `spawn ${process.execPath}`],
  ])(
    'fails: a test that calls %s gets TEST001, naming the file, the process and the fix',
    (_name, start, what) => {
      // when / then
      expect(start).toThrow(
        `[TEST001] ${__filename} started a process (${what}) in the unit group, which runs in-process. ` +
          'Fix: test the function the command calls, or name the file *.e2e.test.ts (npm run test:e2e runs it).',
      );
    },
  );
});
