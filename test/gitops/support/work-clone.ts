import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { GIT_ENV } from '../../helpers/git-repo';
import { gitopsEnv } from './gitops-env';

/** A clone of the GitOps remote where a test commits as a contributor would, then pushes. */
export class WorkClone {
  readonly dir: string;

  constructor(branch = 'main') {
    const env = gitopsEnv();
    this.dir = mkdtempSync(join(env.scratch, 'clone-'));
    execFileSync('git', ['clone', '-q', '--branch', branch, env.gitRemote, this.dir]);
  }

  /** Runs git in the clone; returns stdout, throws with git's own stderr. */
  git(...args: string[]): string {
    try {
      return execFileSync('git', ['-C', this.dir, ...args], {
        encoding: 'utf8',
        // The suite's identity only: no hooks, signing or aliases from the developer's git config.
        env: { ...process.env, ...GIT_ENV },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(
        `git ${args.join(' ')}: ${String((error as { stderr?: string }).stderr ?? error).trim()}`,
        { cause: error },
      );
    }
  }

  /** Commits everything changed with `message`, pushes it to `ref` and returns the new commit. */
  commitAndPush(message: string, ref = 'main'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    this.git('push', '-q', 'origin', `HEAD:refs/heads/${ref}`);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }
}
