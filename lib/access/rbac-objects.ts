import { KubeObject } from '../manifest/kube-object';

export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * One rule of a Role or ClusterRole, written as the RBAC API writes it.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 */
export interface RbacRule {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  /** Resources, `resource/subresource` for a subresource. */
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Restricts the rule to objects with these names. @default - any name */
  readonly resourceNames?: readonly string[];
}

/** The kinds of identity a binding can name. */
export enum SubjectKind {
  USER = 'User',
  GROUP = 'Group',
  SERVICE_ACCOUNT = 'ServiceAccount',
}

/** Who a RoleBinding or ClusterRoleBinding grants its role to. */
export interface RbacSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  /** Only for service accounts. */
  readonly namespace?: string;
  /** `rbac.authorization.k8s.io` for users and groups; absent for service accounts. */
  readonly apiGroup?: string;
}

/** A service account, by namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The user name the API server gives a service account's requests. */
export function serviceAccountUsername(account: ServiceAccountRef): string {
  return `system:serviceaccount:${account.namespace}:${account.name}`;
}

/** Parses `namespace/name`, the form service accounts take in configuration. */
export function parseServiceAccountRef(value: string, source: string): ServiceAccountRef {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value);
  if (!match) {
    throw new Error(
      `${source}: "${value}" is not a service account; write it as <namespace>/<name>, e.g. argocd/argocd-application-controller`,
    );
  }
  return { namespace: match[1], name: match[3] };
}

export function groupSubject(name: string): RbacSubject {
  return { kind: SubjectKind.GROUP, name, apiGroup: RBAC_GROUP };
}

export function userSubject(name: string): RbacSubject {
  return { kind: SubjectKind.USER, name, apiGroup: RBAC_GROUP };
}

export function serviceAccountSubject(account: ServiceAccountRef): RbacSubject {
  return { kind: SubjectKind.SERVICE_ACCOUNT, name: account.name, namespace: account.namespace };
}

const copyRules = (rules: readonly RbacRule[]): RbacRule[] =>
  rules.map((rule) => ({
    apiGroups: [...rule.apiGroups],
    resources: [...rule.resources],
    ...(rule.resourceNames ? { resourceNames: [...rule.resourceNames] } : {}),
    verbs: [...rule.verbs],
  }));

export function role(namespace: string, name: string, rules: readonly RbacRule[]): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { name, namespace },
    rules: copyRules(rules),
  };
}

export function clusterRole(name: string, rules: readonly RbacRule[]): KubeObject {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: { name }, rules: copyRules(rules) };
}

/** Grants the Role `roleName` of the same namespace to `subjects`. */
export function roleBinding(
  namespace: string,
  name: string,
  roleName: string,
  subjects: readonly RbacSubject[],
): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName },
    subjects: subjects.map((subject) => ({ ...subject })),
  };
}

/** Grants the ClusterRole `clusterRoleName` to `subjects` in every namespace and cluster-wide. */
export function clusterRoleBinding(
  name: string,
  clusterRoleName: string,
  subjects: readonly RbacSubject[],
): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRoleName },
    subjects: subjects.map((subject) => ({ ...subject })),
  };
}
