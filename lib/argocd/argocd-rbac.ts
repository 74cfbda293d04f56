import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DEFAULT_ARGOCD_NAMESPACE, RBAC_CONFIGMAP, READONLY_ROLE } from '../argocd-api/argocd-conventions';
import { IArgoCdProject } from './argocd-project';

/** People who may sync (and so roll back) the Applications of some projects, and read everything. */
export interface SyncRole {
  /** Role name, rendered `role:<name>`. */
  readonly name: string;
  /** SSO groups (the `groups` claim, e.g. `my-org:oncall` from GitHub through Dex) holding the role. */
  readonly groups: readonly string[];
  /** Projects whose Applications the role may sync. */
  readonly projects: readonly IArgoCdProject[];
}

export interface ArgoCdRbacProps {
  /** SSO groups that may read everything and change nothing. */
  readonly readOnlyGroups: readonly string[];
  /**
   * Roles that may also sync Applications of named projects.
   * @default - none
   */
  readonly syncRoles?: readonly SyncRole[];
  /**
   * Namespace ArgoCD is installed in.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
}

const GROUP = /^[-_.:/@a-zA-Z0-9]+$/;
const ROLE_NAME = /^[a-z0-9][-a-z0-9]*$/;

/**
 * `argocd-rbac-cm`: no default role (a user in no listed group can do nothing), read-only groups, and
 * sync roles. ArgoCD checks a rollback against the `sync` action, so a sync role may roll back too
 * (ArgoCD itself refuses a rollback while automated sync is on: the rollback of a production
 * Application is a `git revert`). Nobody gets `update`, `delete` or `override` through this map.
 * @see https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/rbac/
 */
export class ArgoCdRbac extends Construct {
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdRbacProps) {
    super(scope, id);
    const roles = props.syncRoles ?? [];
    const groups = [...props.readOnlyGroups, ...roles.flatMap((role) => role.groups)];
    const badGroup = groups.find((group) => !GROUP.test(group));
    if (badGroup !== undefined)
      throw new Error(`${this.node.path}: group "${badGroup}" has characters ArgoCD RBAC cannot parse`);
    const badRole = roles.find((role) => !ROLE_NAME.test(role.name) || role.projects.length === 0);
    if (badRole) {
      throw new Error(
        `${this.node.path}: sync role "${badRole.name}" needs a lower-case name and at least one project`,
      );
    }

    const lines = [
      ...props.readOnlyGroups.map((group) => `g, ${group}, ${READONLY_ROLE}`),
      ...roles.flatMap((role) => {
        const subject = `role:${role.name}`;
        return [
          `g, ${subject}, ${READONLY_ROLE}`,
          ...role.projects.map((project) => `p, ${subject}, applications, sync, ${project.name}/*, allow`),
          ...role.groups.map((group) => `g, ${group}, ${subject}`),
        ];
      }),
    ];
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: RBAC_CONFIGMAP, namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE },
      data: {
        'policy.default': '',
        'policy.csv': `${lines.join('\n')}\n`,
        'policy.matchMode': 'glob',
        scopes: '[groups]',
      },
    });
  }
}
