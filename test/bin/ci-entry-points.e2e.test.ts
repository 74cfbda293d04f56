import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPins } from '../../lib';
import { IMAGE_PINS_FILE } from '../../charts/paths';
import { GIT_ENV, commitAll, git, initRepo } from '../helpers/git-repo';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';
import { checkoutState } from '../helpers/checkout-state';

/** What GitHub Actions sets in a run of the release workflow on main. */
const WORKFLOW_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKFLOW_REF: 'robson/production-infra/.github/workflows/release.yml@refs/heads/main',
};

describe('npm run release:tag (bin/release-tag.ts)', () => {
  test('prints the tag and the image reference as GITHUB_OUTPUT lines', () => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-tag.ts', [
      'backend',
      '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
    ]);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('tag=sha-0a1b2c3\nreference=ghcr.io/robson/backend:sha-0a1b2c3\n');
  });

  test.each([
    [['backend', '0a1b2c3'], 1, /is not a full commit id/],
    [['frontend', '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'], 2, /unknown image "frontend"/],
    [['backend'], 2, /usage/],
  ])('fails for %j with exit %i', (args, status, message) => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-tag.ts', args);
    // then
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('npm run release:verify (bin/release-verify.ts)', () => {
  test('fails with exit 2 and the usage when the ArgoCD server or token is missing', () => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-verify.ts', ['backend', 'sha-0a1b2c3'], {
      ARGOCD_SERVER: '',
      ARGOCD_AUTH_TOKEN: '',
    });
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: ARGOCD_SERVER=<host> ARGOCD_AUTH_TOKEN=<token>');
  });

  test('fails with exit 1 for a plain-http ArgoCD server, before sending the token', () => {
    // when
    const result = runTs(REPO_ROOT, 'bin/release-verify.ts', ['backend', 'sha-0a1b2c3'], {
      ARGOCD_SERVER: 'http://argocd.example',
      ARGOCD_AUTH_TOKEN: 'token',
    });
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ARGOCD_SERVER must be https, got "http://argocd.example"');
  });
});

describe('npm run release:publish (bin/release-publish.ts)', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('commits the release on main, pushes it, and prints only the pushed commit id', () => {
    // given: this repository as the remote's main, and a CI clone of it
    const source = initRepo(copyRepo());
    made.push(source, `${source}.git`, `${source}-ci`);
    const synth = runTs(source, 'bin/synth.ts');
    if (synth.status !== 0) throw new Error(`test set-up: synth failed: ${synth.stderr}`);
    const built = commitAll(source, 'a change of the backend');
    const remote = `${source}.git`;
    git(source, 'clone', '--quiet', '--bare', source, remote);
    const ci = `${source}-ci`;
    git(source, 'clone', '--quiet', remote, ci);
    // As actions/checkout with `ref: <sha>` leaves it: detached, no local branch.
    git(ci, 'checkout', '--quiet', '--detach');
    git(ci, 'branch', '--quiet', '--delete', 'main');
    if (!existsSync(join(ci, 'node_modules')))
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(ci, 'node_modules'));
    // when
    const result = runTs(ci, 'bin/release-publish.ts', ['backend', built], { ...GIT_ENV, ...WORKFLOW_ENV });
    // then
    const tag = `sha-${built.slice(0, 7)}`;
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${git(remote, 'rev-parse', 'main')}\n`);
    expect(git(remote, 'log', '-1', '--format=%an|%s', 'main')).toBe(
      `${GIT_ENV.GIT_AUTHOR_NAME}|release: backend ${tag}`,
    );
    const changed = git(remote, 'diff', '--name-only', 'main~1', 'main').split('\n');
    expect(changed).toContain(IMAGE_PINS_FILE);
    expect(changed.filter((path) => path !== IMAGE_PINS_FILE && !path.startsWith('infra/'))).toEqual([]);
    git(ci, 'fetch', '--quiet', 'origin');
    git(ci, 'checkout', '--quiet', '--detach', 'origin/main');
    expect(readPins(join(ci, IMAGE_PINS_FILE)).backend).toBe(tag);
    expect(result.stderr).toContain('generated files changed:');
  });
});

describe('npm run release:publish refuses on a developer machine (bin/release-publish.ts)', () => {
  let dir: string;
  let clone: string;
  let head: string;
  beforeEach(() => {
    // given: a remote, a developer's clone of it, and a commit that lands on the remote afterwards (a
    // fetch would move origin/main, so it would show)
    dir = mkdtempSync(join(tmpdir(), 'publish-cli-'));
    const remote = join(dir, 'remote.git');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
    const seed = join(dir, 'seed');
    git(dir, 'clone', '--quiet', remote, seed);
    writeFileSync(join(seed, 'README.md'), 'v1\n');
    head = commitAll(seed, 'seed');
    git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
    clone = join(dir, 'clone');
    git(dir, 'clone', '--quiet', remote, clone);
    writeFileSync(join(seed, 'README.md'), 'v2\n');
    commitAll(seed, 'a later merge');
    git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each<[string, (clone: string) => void, NodeJS.ProcessEnv, RegExp]>([
    [
      'fails on a branch with a commit that is not pushed',
      (clone) => {
        git(clone, 'checkout', '--quiet', '-b', 'feature');
        writeFileSync(join(clone, 'README.md'), 'my work\n');
        commitAll(clone, 'work in progress');
      },
      WORKFLOW_ENV,
      /HEAD is on branch "feature": publishing needs a detached checkout/,
    ],
    [
      'fails with uncommitted changes',
      (clone) => writeFileSync(join(clone, 'README.md'), 'edited\n'),
      WORKFLOW_ENV,
      /staged, changed or untracked files \(README\.md\)/,
    ],
    [
      'fails with an untracked file',
      (clone) => writeFileSync(join(clone, 'notes.txt'), 'work in progress\n'),
      WORKFLOW_ENV,
      /staged, changed or untracked files \(notes\.txt\)/,
    ],
    [
      'fails outside the release workflow, even in a clean detached checkout',
      (clone) => {
        git(clone, 'checkout', '--quiet', '--detach');
        git(clone, 'branch', '--quiet', '--delete', 'main');
      },
      { GITHUB_ACTIONS: '', GITHUB_WORKFLOW_REF: '' },
      /not in the release workflow: it runs only in GitHub Actions \(GITHUB_ACTIONS=true\) from GITHUB_WORKFLOW_REF=robson\/production-infra\/\.github\/workflows\/release\.yml@refs\/heads\/main/,
    ],
  ])('%s: exit 1, the reason, refs, HEAD and files untouched', (_name, prepare, env, reason) => {
    // given
    prepare(clone);
    const before = checkoutState(clone);
    // when
    const result = runTs(clone, join(REPO_ROOT, 'bin', 'release-publish.ts'), ['backend', head], {
      ...GIT_ENV,
      ...env,
    });
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'release:publish failed: refusing to publish; nothing was fetched, reset',
    );
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(checkoutState(clone)).toEqual(before);
  });
});
