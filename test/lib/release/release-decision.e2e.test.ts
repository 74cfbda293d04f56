import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageSource, ReleaseDecision, decideRelease, formatPins, gitIn } from '../../../lib';
import { GIT_ENV, commitAll, git, initRepo } from '../../helpers/git-repo';

const tagOf = (commit: string): string => `sha-${commit.slice(0, 7)}`;

describe('decideRelease', () => {
  let root: string;
  let first: string;
  let second: string;
  let third: string;
  let side: string;
  beforeAll(() => {
    // given: main = first → second → third, and a side branch off first
    root = initRepo();
    const commit = (name: string): string => {
      writeFileSync(join(root, 'file.txt'), name);
      return commitAll(root, name);
    };
    first = commit('first');
    second = commit('second');
    third = commit('third');
    git(root, 'checkout', '--quiet', '-b', 'side', first);
    side = commit('side');
    git(root, 'checkout', '--quiet', 'main');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const decide = (pinned: string, commit: string, log: string[] = []) =>
    decideRelease({
      git: gitIn(root, GIT_ENV),
      pins: { backend: pinned },
      image: 'backend',
      commit,
      tag: tagOf(commit),
      log: (line) => log.push(line),
    });

  test('releases a build newer than the current pin', () => {
    // when / then
    expect(decide(tagOf(first), third)).toBe(ReleaseDecision.RELEASE);
  });

  test('reports a re-run whose tag is already the pin', () => {
    // when / then
    expect(decide(tagOf(second), second)).toBe(ReleaseDecision.ALREADY_RELEASED);
  });

  test('fails for a build older than the current pin: it would roll production back', () => {
    // when / then
    expect(() => decide(tagOf(third), second)).toThrow(
      new RegExp(`refusing to replace backend ${tagOf(third)} .* would roll production back`),
    );
  });

  test('fails for a build of a commit that is not on the production branch', () => {
    // when / then
    expect(() => decide(tagOf(first), side)).toThrow(/is not on the production branch/);
  });

  test('replaces a pin whose commit the repository does not know, and says so', () => {
    // given
    const log: string[] = [];
    // when
    const decision = decide('sha-fffffff', third, log);
    // then
    expect(decision).toBe(ReleaseDecision.RELEASE);
    expect(log).toEqual([
      'release: the current pin sha-fffffff names no commit of this repository; replacing it',
    ]);
  });
});

describe('decideRelease for an image another repository builds', () => {
  const source = ImageSource.externalRepository('acme/backend');
  // Commits of acme/backend: this repository has never seen them.
  const [older, newer, newest] = ['1', '2', '3'].map((digit) => digit.repeat(40));
  let root: string;
  beforeAll(() => {
    // given: this repository's history pinned older, then newer (two releases of the backend)
    root = initRepo();
    for (const commit of [older, newer]) {
      writeFileSync(join(root, 'pins.json'), formatPins({ backend: tagOf(commit) }));
      commitAll(root, `release: backend ${tagOf(commit)}`);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const decide = (commit: string, log: string[] = []) =>
    decideRelease({
      git: gitIn(root, GIT_ENV),
      pins: { backend: tagOf(newer) },
      image: 'backend',
      commit,
      tag: tagOf(commit),
      source,
      log: (line) => log.push(line),
    });

  test('releases a build this repository has never pinned, without looking for its commit here, and says so', () => {
    // given
    const log: string[] = [];
    // when
    const decision = decide(newest, log);
    // then
    expect(decision).toBe(ReleaseDecision.RELEASE);
    expect(log).toEqual([
      `release: backend is built by repository acme/backend; commit ${newest} is that repository's, so it is ` +
        `not ordered against the current pin ${tagOf(newer)} (only a tag pinned before is refused)`,
    ]);
  });

  test('reports a re-run whose tag is already the pin', () => {
    // when / then
    expect(decide(newer)).toBe(ReleaseDecision.ALREADY_RELEASED);
  });

  test('fails for a tag that was pinned before and replaced: a re-run of an old dispatch would roll back', () => {
    // when / then
    expect(() => decide(older)).toThrow(
      new RegExp(
        `refusing to pin backend to ${tagOf(older)}: it was pinned before .* would roll production back`,
      ),
    );
  });
});
