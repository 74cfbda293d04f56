import {
  GITHUB_ACTIONS_APP_ID,
  ProtectedRepositoryProps,
  protectedRepositorySpec,
} from '../../../lib/github';

const props: ProtectedRepositoryProps = {
  name: 'production-infra',
  requiredChecks: ['verify', 'manifests', 'diff'],
  releaseAppId: 424242,
};

describe('protectedRepositorySpec', () => {
  const spec = protectedRepositorySpec(props);

  test('repository: squash merges only, branches deleted on merge, archived rather than deleted', () => {
    // given / when / then
    expect(spec.repository).toMatchObject({
      name: 'production-infra',
      visibility: 'private',
      allowSquashMerge: true,
      allowMergeCommit: false,
      allowRebaseMerge: false,
      deleteBranchOnMerge: true,
      allowUpdateBranch: true,
      archiveOnDestroy: true,
    });
  });

  test('history ruleset: no force push, no deletion of main, and nobody bypasses it', () => {
    // given / when / then
    expect(spec.historyRuleset).toEqual({
      name: 'main: no history rewrite',
      repository: 'production-infra',
      target: 'branch',
      enforcement: 'active',
      conditions: { refName: { includes: ['refs/heads/main'], excludes: [] } },
      bypassActors: [],
      rules: { deletion: true, nonFastForward: true },
    });
  });

  test('review ruleset: reviewed, approved by someone else, conversations resolved, checks from GitHub Actions on an up-to-date branch', () => {
    // given / when / then
    expect(spec.reviewRuleset).toMatchObject({
      name: 'main: reviewed changes only',
      repository: 'production-infra',
      target: 'branch',
      enforcement: 'active',
      conditions: { refName: { includes: ['refs/heads/main'], excludes: [] } },
    });
    expect(spec.reviewRuleset.rules).toEqual({
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
        requiredChecks: [
          { context: 'verify', integrationId: GITHUB_ACTIONS_APP_ID },
          { context: 'manifests', integrationId: GITHUB_ACTIONS_APP_ID },
          { context: 'diff', integrationId: GITHUB_ACTIONS_APP_ID },
        ],
      },
    });
  });

  test('the release app is the only bypass actor of any ruleset, and bypasses only the review ruleset', () => {
    // given / when
    const actors = [spec.historyRuleset, spec.reviewRuleset].flatMap(
      (ruleset) => ruleset.bypassActors as object[],
    );
    // then
    expect(actors).toEqual([{ actorType: 'Integration', actorId: 424242, bypassMode: 'always' }]);
    expect(GITHUB_ACTIONS_APP_ID).toBe(15368);
  });

  test('workflow tokens are read-only by default and cannot approve pull requests', () => {
    // given / when / then
    expect(spec.workflowPermissions).toEqual({
      repository: 'production-infra',
      defaultWorkflowPermissions: 'read',
      canApprovePullRequestReviews: false,
    });
  });

  test("the release app's credentials live in an environment only main can use, admins included", () => {
    // given / when / then
    expect(spec.releaseEnvironment).toEqual({
      repository: 'production-infra',
      environment: 'release',
      canAdminsBypass: false,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    expect(spec.releaseEnvironmentPolicy).toEqual({
      repository: 'production-infra',
      environment: 'release',
      branchPattern: 'main',
    });
  });

  test.each([0, -1, 1.5, 11, Number.NaN])('fails for requiredApprovals %s', (requiredApprovals) => {
    // given / when / then
    expect(() => protectedRepositorySpec({ ...props, requiredApprovals })).toThrow(
      /requiredApprovals: .* approvals would weaken/,
    );
  });

  test.each([[[]], [['verify', '']], [['verify', 'verify']]])(
    'fails for requiredChecks %j',
    (requiredChecks) => {
      // given / when / then
      expect(() => protectedRepositorySpec({ ...props, requiredChecks })).toThrow(/requiredChecks/);
    },
  );

  test.each([0, -5, 1.2])('fails for releaseAppId %s', (releaseAppId) => {
    // given / when / then
    expect(() => protectedRepositorySpec({ ...props, releaseAppId })).toThrow(
      /releaseAppId .* is not a GitHub App id/,
    );
  });

  test('accepts more approvals', () => {
    // given / when
    const stricter = protectedRepositorySpec({ ...props, requiredApprovals: 2 });
    // then
    expect(stricter.reviewRuleset.rules).toMatchObject({ pullRequest: { requiredApprovingReviewCount: 2 } });
  });
});
