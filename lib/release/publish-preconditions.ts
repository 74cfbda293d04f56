import { Git, changedPaths, currentBranch, localBranches } from '../git/git';
import { ReleaseError } from '../image/release-error';

/** The one GitHub Actions workflow allowed to publish a release. */
export interface ReleaseWorkflow {
  /** `owner/name` of the repository, as in `GITHUB_REPOSITORY`. */
  readonly repository: string;
  /** Path of the workflow file in the repository: `.github/workflows/release.yml`. */
  readonly path: string;
  /** The ref it must run from: `refs/heads/main`. */
  readonly ref: string;
}

/**
 * What GitHub Actions sets `GITHUB_WORKFLOW_REF` to in a run of `workflow`:
 * `<owner>/<repo>/<path>@<ref>`, e.g. `octocat/hello-world/.github/workflows/release.yml@refs/heads/main`.
 * @see https://docs.github.com/en/actions/reference/variables-reference
 */
export const workflowRefOf = (workflow: ReleaseWorkflow): string =>
  `${workflow.repository}/${workflow.path}@${workflow.ref}`;

/** GitHub spells owner and repository as they were created, and matches them without regard to case. */
function isWorkflowRef(actual: string, workflow: ReleaseWorkflow): boolean {
  const expected = workflowRefOf(workflow);
  const split = workflow.repository.length;
  return (
    actual.length === expected.length &&
    actual.slice(0, split).toLowerCase() === expected.slice(0, split).toLowerCase() &&
    actual.slice(split) === expected.slice(split)
  );
}

const shown = (value: string | undefined): string => (value ? `"${value}"` : 'unset');

const listed = (paths: readonly string[], max = 10): string =>
  paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;

/** Publishing would not be safe here; `reasons` says why, one line each. */
export class PublishRefusedError extends ReleaseError {
  constructor(public readonly reasons: readonly string[]) {
    super(
      `refusing to publish; nothing was fetched, reset, committed or pushed:\n  - ${reasons.join('\n  - ')}`,
    );
    this.name = 'PublishRefusedError';
  }
}

/**
 * Why publishing must not start in the checkout of `git` with environment `env`, one reason per line;
 * empty when it may. Publishing resets the checkout to the remote branch on every attempt, so it runs
 * only where nothing can be lost: in `workflow` on GitHub Actions, in a clean checkout (nothing staged,
 * changed or untracked), on a detached HEAD (so no branch is ever moved) and with no local branch at
 * all (a fresh CI checkout of a commit has none; a developer's clone always has one). Reads only: it
 * does not even refresh git's index.
 */
export function publishRefusals(git: Git, env: NodeJS.ProcessEnv, workflow: ReleaseWorkflow): string[] {
  const reasons: string[] = [];
  const actions = env.GITHUB_ACTIONS;
  const workflowRef = env.GITHUB_WORKFLOW_REF;
  if (actions !== 'true' || !isWorkflowRef(workflowRef ?? '', workflow)) {
    reasons.push(
      `not in the release workflow: it runs only in GitHub Actions (GITHUB_ACTIONS=true) from ` +
        `GITHUB_WORKFLOW_REF=${workflowRefOf(workflow)}; here GITHUB_ACTIONS is ${shown(actions)} and ` +
        `GITHUB_WORKFLOW_REF is ${shown(workflowRef)}`,
    );
  }
  const dirty = changedPaths(git);
  if (dirty.length > 0) {
    reasons.push(
      `the checkout has staged, changed or untracked files (${listed(dirty)}), which publishing would discard`,
    );
  }
  const branch = currentBranch(git);
  if (branch !== undefined) {
    reasons.push(
      `HEAD is on branch "${branch}": publishing needs a detached checkout of the commit, as ` +
        'actions/checkout with `ref: ${{ github.sha }}` makes it, so that no branch is ever moved',
    );
  }
  const branches = localBranches(git);
  if (branches.length > 0) {
    reasons.push(
      `local branches exist (${listed(branches)}): publishing runs only in a fresh CI checkout, which has none`,
    );
  }
  return reasons;
}
