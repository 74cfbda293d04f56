import type * as github from '@pulumi/github';
import { checkRequiredApprovals } from './protection-config';

/** Who can see the repository. */
export enum RepositoryVisibility {
  PRIVATE = 'private',
  INTERNAL = 'internal',
  PUBLIC = 'public',
}

/**
 * The GitHub App id of GitHub Actions. Required checks must be reported by it: a commit status with the
 * same name posted by anyone else does not count.
 */
export const GITHUB_ACTIONS_APP_ID = 15368;

export interface ProtectedRepositoryProps {
  /** Repository name, without the owner (the provider's `github:owner`). */
  readonly name: string;
  /** @default - no description */
  readonly description?: string;
  /** @default RepositoryVisibility.PRIVATE */
  readonly visibility?: RepositoryVisibility;
  /**
   * The protected branch that production deploys from.
   * @default 'main'
   */
  readonly branch?: string;
  /** Names of the CI jobs that must pass, as GitHub Actions reports them. At least one. */
  readonly requiredChecks: readonly string[];
  /**
   * Approving reviews a pull request needs, from 1 to 10.
   * @default 1
   */
  readonly requiredApprovals?: number;
  /**
   * The GitHub App that commits releases (the image-pin bump) to `branch`. It is the only actor that may
   * bypass review, and only review: it can never force-push or delete the branch.
   */
  readonly releaseAppId: number;
  /**
   * Name of the deployment environment that holds the release app's credentials; only jobs running on
   * `branch` can use it.
   * @default 'release'
   */
  readonly releaseEnvironment?: string;
}

/** The arguments of every GitHub resource a protected repository consists of. */
export interface ProtectedRepositorySpec {
  readonly repository: github.RepositoryArgs;
  /** No force push, no deletion. Nobody bypasses it. */
  readonly historyRuleset: github.RepositoryRulesetArgs;
  /** Pull request with review, checks and resolved conversations. Only the release app bypasses it. */
  readonly reviewRuleset: github.RepositoryRulesetArgs;
  readonly workflowPermissions: github.WorkflowRepositoryPermissionsArgs;
  readonly releaseEnvironment: github.RepositoryEnvironmentArgs;
  readonly releaseEnvironmentPolicy: github.RepositoryEnvironmentDeploymentPolicyArgs;
}

/** Computes and validates the arguments; throws, naming the prop, before anything is declared. */
export function protectedRepositorySpec(props: ProtectedRepositoryProps): ProtectedRepositorySpec {
  const branch = props.branch ?? 'main';
  const approvals = checkRequiredApprovals(
    props.requiredApprovals ?? 1,
    `ProtectedRepository ${props.name}: requiredApprovals`,
  );
  const checks = props.requiredChecks.map((check) => check.trim());
  if (checks.length === 0 || checks.some((check) => check === '')) {
    throw new Error(
      `ProtectedRepository ${props.name}: requiredChecks must name at least one CI job, none blank`,
    );
  }
  const duplicate = checks.find((check, index) => checks.indexOf(check) !== index);
  if (duplicate)
    throw new Error(`ProtectedRepository ${props.name}: requiredChecks names "${duplicate}" twice`);
  if (!Number.isInteger(props.releaseAppId) || props.releaseAppId <= 0) {
    throw new Error(
      `ProtectedRepository ${props.name}: releaseAppId ${props.releaseAppId} is not a GitHub App id; use the numeric App ID from the app's settings page`,
    );
  }
  const environment = props.releaseEnvironment ?? 'release';
  const conditions = { refName: { includes: [`refs/heads/${branch}`], excludes: [] } };
  return {
    repository: {
      name: props.name,
      description: props.description,
      visibility: props.visibility ?? RepositoryVisibility.PRIVATE,
      hasIssues: true,
      hasProjects: false,
      hasWiki: false,
      allowSquashMerge: true,
      allowMergeCommit: false,
      allowRebaseMerge: false,
      squashMergeCommitTitle: 'PR_TITLE',
      squashMergeCommitMessage: 'PR_BODY',
      allowUpdateBranch: true,
      deleteBranchOnMerge: true,
      archiveOnDestroy: true,
    },
    historyRuleset: {
      name: `${branch}: no history rewrite`,
      repository: props.name,
      target: 'branch',
      enforcement: 'active',
      conditions,
      bypassActors: [],
      rules: { deletion: true, nonFastForward: true },
    },
    reviewRuleset: {
      name: `${branch}: reviewed changes only`,
      repository: props.name,
      target: 'branch',
      enforcement: 'active',
      conditions,
      bypassActors: [{ actorType: 'Integration', actorId: props.releaseAppId, bypassMode: 'always' }],
      rules: {
        pullRequest: {
          requiredApprovingReviewCount: approvals,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
          requiredReviewThreadResolution: true,
          requireCodeOwnerReview: false,
          allowedMergeMethods: ['squash'],
        },
        requiredStatusChecks: {
          strictRequiredStatusChecksPolicy: true,
          requiredChecks: checks.map((context) => ({ context, integrationId: GITHUB_ACTIONS_APP_ID })),
        },
      },
    },
    workflowPermissions: {
      repository: props.name,
      defaultWorkflowPermissions: 'read',
      canApprovePullRequestReviews: false,
    },
    releaseEnvironment: {
      repository: props.name,
      environment,
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    },
    releaseEnvironmentPolicy: { repository: props.name, environment, branchPattern: branch },
  };
}
