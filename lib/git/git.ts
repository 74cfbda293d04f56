import { spawnSync } from 'node:child_process';

/** A git command that failed, with its arguments, exit status and error output. */
export class GitError extends Error {
  constructor(
    public readonly args: readonly string[],
    public readonly status: number | null,
    public readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${status}): ${stderr.trim() || 'no error output'}`);
    this.name = 'GitError';
  }
}

/** Runs git with the given arguments and returns its standard output; throws a `GitError` on failure. */
export type Git = (args: readonly string[]) => string;

/**
 * A `Git` bound to the repository at `cwd`. `env` is added to the process environment (an identity, or
 * credentials as `GIT_CONFIG_*` variables that exist only for these commands).
 */
export function gitIn(cwd: string, env: NodeJS.ProcessEnv = {}): Git {
  return (args) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new GitError(args, result.status, result.stderr);
    return result.stdout;
  };
}

/** True when `git` succeeds, false when it exits non-zero (for questions such as `merge-base --is-ancestor`). */
export function gitSucceeds(git: Git, args: readonly string[]): boolean {
  try {
    git(args);
    return true;
  } catch (error) {
    if (error instanceof GitError && error.status === 1) return false;
    throw error;
  }
}

/**
 * Paths with uncommitted changes (staged or not), untracked files included, as `git status` reports
 * them. Read-only: `--no-optional-locks` keeps git from rewriting its index while it looks.
 */
export function changedPaths(git: Git): string[] {
  return git(['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all'])
    .split('\0')
    .filter(Boolean)
    .flatMap((entry, index, all) => (index > 0 && /^R/.test(all[index - 1]) ? [] : [entry.slice(3)]))
    .sort();
}

/** The branch HEAD is on (`main`), or undefined when HEAD is detached. */
export function currentBranch(git: Git): string | undefined {
  try {
    return git(['symbolic-ref', '--quiet', '--short', 'HEAD']).trim();
  } catch (error) {
    if (error instanceof GitError && error.status === 1) return undefined;
    throw error;
  }
}

/** The local branches (`refs/heads/*`), short names, sorted. */
export function localBranches(git: Git): string[] {
  return git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']).split('\n').filter(Boolean).sort();
}
