import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fixed identity and no user or system git configuration: tests behave the same on every machine. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'release-bot[bot]',
  GIT_AUTHOR_EMAIL: '1+release-bot[bot]@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'release-bot[bot]',
  GIT_COMMITTER_EMAIL: '1+release-bot[bot]@users.noreply.github.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs git in `cwd` with `GIT_ENV` and returns its trimmed output; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A new repository on branch `main` in `dir` (a new temporary folder by default). */
export function initRepo(dir: string = mkdtempSync(join(tmpdir(), 'git-'))): string {
  git(dir, 'init', '--quiet', '--initial-branch=main');
  return dir;
}

/** Commits every change of the working tree and returns the new commit id. */
export function commitAll(cwd: string, message: string): string {
  git(cwd, 'add', '--all');
  git(cwd, 'commit', '--quiet', '--message', message);
  return git(cwd, 'rev-parse', 'HEAD');
}
