// The release plan end to end: bin/release-plan.ts run as CI runs it (the planning itself is tested
// in-process in test/lib/release/release-plan.test.ts).
import { git } from '../helpers/git-repo';
import { REPO_ROOT } from '../helpers/tools';
import { runTs } from '../helpers/temp-repo';

const after = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

describe('npm run release:plan (bin/release-plan.ts)', () => {
  test('prints the dispatched image of the catalog as GITHUB_OUTPUT lines', () => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-plan.ts', ['dispatch', 'backend', after]);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`images=[{"image":"backend","commit":"${after}","context":""}]\ncount=1\n`);
  });

  test('prints an empty list for a push: no catalog image is built in this repository', () => {
    // given
    const [before, pushed] = [git(REPO_ROOT, 'rev-parse', 'HEAD~1'), git(REPO_ROOT, 'rev-parse', 'HEAD')];
    // when
    const result = runTs(REPO_ROOT, 'bin/release-plan.ts', ['push', before, pushed]);
    // then
    expect(result.stdout).toBe('images=[]\ncount=0\n');
    expect(result.status).toBe(0);
  });

  test('prints its usage on stdout for --help', () => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-plan.ts', ['--help']);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run --silent release:plan -- <push\|dispatch>/);
  });

  test.each([
    [['dispatch', 'frontend', after], 1, /release:plan failed: unknown image "frontend"/],
    [['dispatch', 'backend', 'main'], 1, /is not a full commit id/],
    [['pull', 'a', 'b'], 2, /the first argument is push or dispatch, got "pull"/],
    [['dispatch', 'backend'], 2, /usage:/],
    [['--image', 'backend'], 2, /unknown option --image/],
  ])('fails for %j with exit %i, printing nothing on stdout', (args, status, message) => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-plan.ts', args);
    // then
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
