// actionlint on the workflows (the repository's own checks of them run in-process in workflows.test.ts).
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, toolPath } from '../helpers/tools';

describe('the workflows', () => {
  test('actionlint finds nothing', () => {
    // when
    const output = execFileSync(toolPath('actionlint'), ['-no-color'], { cwd: REPO_ROOT, encoding: 'utf8' });
    // then
    expect(output).toBe('');
  });
});
