import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readPins } from '../../lib';
import { IMAGE_PINS_FILE } from '../../charts/paths';
import { GIT_ENV, commitAll, git, initRepo } from '../helpers/git-repo';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

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
    if (!existsSync(join(ci, 'node_modules')))
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(ci, 'node_modules'));
    // when
    const result = runTs(ci, 'bin/release-publish.ts', ['backend', built], GIT_ENV);
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
    git(ci, 'pull', '--quiet', '--ff-only');
    expect(readPins(join(ci, IMAGE_PINS_FILE)).backend).toBe(tag);
    expect(result.stderr).toContain('generated files changed:');
  });
});
