import * as pulumi from '@pulumi/pulumi';
import * as github from '@pulumi/github';
import { ProtectedRepositoryProps, protectedRepositorySpec } from '../github';

/**
 * A GitHub repository whose production branch changes only through reviewed pull requests, plus the one
 * recorded exception: the release app may push the image-pin bump. Children:
 * - `${name}-repository`: squash merges only, branches deleted on merge; protected from deletion
 *   (adopt an existing repository with `pulumi import`, see the README);
 * - `${name}-history`: ruleset without bypass: no force push, no deletion of the branch;
 * - `${name}-review`: ruleset: pull request with approvals, stale approvals dismissed, last push approved
 *   by someone else, conversations resolved, required checks from GitHub Actions on an up-to-date branch;
 *   the release app is its only bypass actor;
 * - `${name}-workflow-permissions`: the workflow token is read-only by default and cannot approve pull requests;
 * - `${name}-release-environment` and `${name}-release-branch`: the environment holding the release app's
 *   credentials, usable only from the production branch.
 *
 * Props are validated before anything is declared.
 */
export class ProtectedRepository extends pulumi.ComponentResource {
  public readonly repository: github.Repository;
  public readonly historyRuleset: github.RepositoryRuleset;
  public readonly reviewRuleset: github.RepositoryRuleset;
  public readonly workflowPermissions: github.WorkflowRepositoryPermissions;
  public readonly releaseEnvironment: github.RepositoryEnvironment;
  public readonly releaseEnvironmentPolicy: github.RepositoryEnvironmentDeploymentPolicy;

  constructor(name: string, props: ProtectedRepositoryProps, opts: pulumi.ComponentResourceOptions = {}) {
    const spec = protectedRepositorySpec(props);
    super('gitops:github:ProtectedRepository', name, {}, opts);
    this.repository = new github.Repository(`${name}-repository`, spec.repository, {
      parent: this,
      protect: true,
    });
    const afterRepository = { parent: this, dependsOn: [this.repository] };
    this.historyRuleset = new github.RepositoryRuleset(
      `${name}-history`,
      spec.historyRuleset,
      afterRepository,
    );
    this.reviewRuleset = new github.RepositoryRuleset(`${name}-review`, spec.reviewRuleset, afterRepository);
    this.workflowPermissions = new github.WorkflowRepositoryPermissions(
      `${name}-workflow-permissions`,
      spec.workflowPermissions,
      afterRepository,
    );
    this.releaseEnvironment = new github.RepositoryEnvironment(
      `${name}-release-environment`,
      spec.releaseEnvironment,
      afterRepository,
    );
    this.releaseEnvironmentPolicy = new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-release-branch`,
      spec.releaseEnvironmentPolicy,
      { parent: this, dependsOn: [this.releaseEnvironment] },
    );
    this.registerOutputs({
      repository: this.repository.fullName,
      historyRuleset: this.historyRuleset.rulesetId,
      reviewRuleset: this.reviewRuleset.rulesetId,
    });
  }
}
