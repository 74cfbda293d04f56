import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './tools';

// The protection of main, as the program must send it to the GitHub provider: written out here from the
// policy (README, "Admins"; docs/adr/0001), not computed by the program's code. The mocked program test
// (test/stacks/program.test.ts) and the real engine's first run (test/pulumi-engine/) both expect it.

/** The release app id of the tests' stacks (the committed stack file has none until its pull request): the one bypass actor. */
export const TEST_RELEASE_APP_ID = 424242;

/** GitHub Actions' app id: a required check reported by anyone else does not count. */
const GITHUB_ACTIONS = 15368;
const MAIN = { refName: { includes: ['refs/heads/main'], excludes: [] } };

/** The check names of .github/workflows/pull-request.yml: a job's `name:`, else its id. */
function workflowJobs(): string[] {
  const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/pull-request.yml'), 'utf8')) as {
    jobs: Record<string, { name?: string }>;
  };
  return Object.entries(workflow.jobs).map(([id, job]) => job.name ?? id);
}

/** What each GitHub resource must be sent, written out from the policy (README, "Admins"). */
export const expectedInputs = (): Record<string, Record<string, unknown>> => ({
  'production-infra-repository': {
    name: 'production-infra',
    description: 'Production: the single source of truth, changed only through reviewed pull requests',
    visibility: 'private',
    hasIssues: true,
    hasProjects: false,
    hasWiki: false,
    // squash only
    allowSquashMerge: true,
    allowMergeCommit: false,
    allowRebaseMerge: false,
    squashMergeCommitTitle: 'PR_TITLE',
    squashMergeCommitMessage: 'PR_BODY',
    allowUpdateBranch: true,
    deleteBranchOnMerge: true,
    archiveOnDestroy: true,
  },
  'production-infra-history': {
    name: 'main: no history rewrite',
    repository: 'production-infra',
    target: 'branch',
    enforcement: 'active',
    conditions: MAIN,
    // nobody bypasses it: no force push, no deletion, for anyone
    bypassActors: [],
    rules: { deletion: true, nonFastForward: true },
  },
  'production-infra-review': {
    name: 'main: reviewed changes only',
    repository: 'production-infra',
    target: 'branch',
    enforcement: 'active',
    conditions: MAIN,
    // the one bypass actor: the release app
    bypassActors: [{ actorType: 'Integration', actorId: TEST_RELEASE_APP_ID, bypassMode: 'always' }],
    rules: {
      pullRequest: {
        requiredApprovingReviewCount: 1,
        dismissStaleReviewsOnPush: true,
        requireLastPushApproval: true,
        requiredReviewThreadResolution: true,
        requireCodeOwnerReview: false,
        allowedMergeMethods: ['squash'],
      },
      requiredStatusChecks: {
        strictRequiredStatusChecksPolicy: true,
        requiredChecks: workflowJobs().map((context) => ({ context, integrationId: GITHUB_ACTIONS })),
      },
    },
  },
  'production-infra-workflow-permissions': {
    repository: 'production-infra',
    defaultWorkflowPermissions: 'read',
    canApprovePullRequestReviews: false,
  },
  'production-infra-release-environment': {
    repository: 'production-infra',
    environment: 'release',
    canAdminsBypass: false,
    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
  },
  'production-infra-release-branch': {
    repository: 'production-infra',
    environment: 'release',
    branchPattern: 'main',
  },
});

/** Paths (`rules.pullRequest.requireLastPushApproval`) where `actual` differs from `expected`. */
function differences(expected: unknown, actual: unknown, path = ''): string[] {
  const isMap = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isMap(expected) && isMap(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((key) => differences(expected[key], actual[key], path ? `${path}.${key}` : key));
  }
  return canonical(expected) === canonical(actual) ? [] : [path];
}

/** JSON with every map's keys sorted: the order the SDK serialises keys in is no difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

/** Every difference from the expected inputs, `resource: path`. */
export function protectionDifferences(sent: Record<string, unknown>): string[] {
  const expected = expectedInputs();
  const names = [...new Set([...Object.keys(expected), ...Object.keys(sent)])].sort();
  return names.flatMap((name) =>
    differences(expected[name], sent[name]).map((path) => `${name}: ${path || '(whole resource)'}`),
  );
}
