import { Git, changedPaths } from '../git/git';
import { ReleaseError } from '../image/release-error';
import { PublishRefusedError, ReleaseWorkflow, publishRefusals } from './publish-preconditions';

/** What to do once the checkout is at the tip of the remote branch. */
export enum ReleaseDecision {
  /** Run the bump, commit and push. */
  RELEASE = 'release',
  /** The branch already holds the pin (a re-run): nothing to commit. */
  ALREADY_RELEASED = 'already-released',
}

export interface PublishReleaseProps {
  /**
   * Git in the checkout to commit from; its identity is the committer of the release. It must be a
   * clean, detached checkout with no local branch: see `publishRefusals`.
   */
  readonly git: Git;
  /** The only workflow that may publish; anywhere else publishing refuses to start. */
  readonly workflow: ReleaseWorkflow;
  /** Where `GITHUB_ACTIONS` and `GITHUB_WORKFLOW_REF` are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Remote to fetch from and push to. @default 'origin' */
  readonly remote?: string;
  /** The branch production tracks. */
  readonly branch: string;
  /** The commit message of the release commit. */
  readonly message: string;
  /**
   * Paths the release commit may change: files, or folders ending in `/`. Anything else aborts the
   * release before a commit exists.
   */
  readonly allowedPaths: readonly string[];
  /** A path the release commit must change (the release file). */
  readonly requiredPath: string;
  /** Called each time the checkout is at the tip of the remote branch; may throw to refuse the release. */
  readonly decide: () => ReleaseDecision;
  /** Changes the files of the checkout for the release (a fresh process: the code may have changed). */
  readonly bump: () => void;
  /** Attempts before giving up. @default 5 */
  readonly maxAttempts?: number;
  /** Waits between attempts. @default - attempt × 2 s */
  readonly pause?: (attempt: number) => void;
  /** Progress lines. @default - console.error */
  readonly log?: (line: string) => void;
}

export interface PublishReleaseResult {
  readonly decision: ReleaseDecision;
  /** The commit on the remote branch that holds the release. */
  readonly commit: string;
  /** Attempts it took, 1 when nothing raced. */
  readonly attempts: number;
}

/** Paths of `changed` outside `allowed` (entries ending in `/` are folders). */
export function pathsOutside(changed: readonly string[], allowed: readonly string[]): string[] {
  return changed.filter(
    (path) => !allowed.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry)),
  );
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Commits a release on top of the remote branch and pushes it, never blindly: every attempt fetches the
 * branch, checks its tip out (detached), asks `decide`, re-runs `bump` on that fresh state, checks that
 * only `allowedPaths` changed, commits and pushes (a fast-forward, never a force). A rejected push
 * (someone else pushed first) starts the next attempt; after `maxAttempts` it throws with git's last
 * error. Before anything, it refuses (`PublishRefusedError`, nothing fetched or changed) to run anywhere
 * but a clean, detached, branch-less checkout in the release workflow (`publishRefusals`): each attempt
 * discards the checkout's state, which must therefore hold nothing of anyone's.
 */
export function publishRelease(props: PublishReleaseProps): PublishReleaseResult {
  const { git, branch } = props;
  const remote = props.remote ?? 'origin';
  const maxAttempts = props.maxAttempts ?? 5;
  const log = props.log ?? ((line: string) => console.error(line));
  const pause = props.pause ?? ((attempt: number) => sleep(attempt * 2000));

  const reasons = publishRefusals(git, props.env ?? process.env, props.workflow);
  if (reasons.length > 0) throw new PublishRefusedError(reasons);

  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    git(['fetch', '--no-tags', '--quiet', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
    // Not `reset --hard`: `checkout --detach` moves HEAD alone, so no branch can ever be moved by it.
    git(['checkout', '--quiet', '--force', '--detach', `${remote}/${branch}`]);
    const decision = props.decide();
    if (decision === ReleaseDecision.ALREADY_RELEASED) {
      const commit = git(['rev-parse', 'HEAD']).trim();
      log(`publish: ${remote}/${branch} at ${commit} already holds the release; nothing to push`);
      return { decision, commit, attempts: attempt };
    }

    props.bump();
    const changed = changedPaths(git);
    const outside = pathsOutside(changed, props.allowedPaths);
    if (outside.length > 0 || !changed.includes(props.requiredPath)) {
      throw new ReleaseError(
        `the release commit may change only ${props.allowedPaths.join(', ')} and must change ${props.requiredPath}; ` +
          `it changes [${changed.join(', ')}]. Nothing was committed or pushed.`,
      );
    }
    git(['add', '--all', '--', ...props.allowedPaths]);
    git(['commit', '--quiet', '--message', props.message]);
    const commit = git(['rev-parse', 'HEAD']).trim();
    try {
      git(['push', '--porcelain', remote, `${commit}:refs/heads/${branch}`]);
      log(`publish: pushed ${commit} to ${remote}/${branch} (attempt ${attempt}/${maxAttempts})`);
      return { decision, commit, attempts: attempt };
    } catch (error) {
      lastError = error;
      log(`publish: attempt ${attempt}/${maxAttempts} was rejected: ${(error as Error).message}`);
      if (attempt < maxAttempts) pause(attempt);
    }
  }
  throw new ReleaseError(
    `the release was not pushed to ${remote}/${branch} after ${maxAttempts} attempts; last error: ${(lastError as Error).message}`,
  );
}
