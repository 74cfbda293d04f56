import { KubeObject } from '../manifest/kube-object';
import { RbacRule, SubjectKind } from './rbac-objects';

/**
 * What is asked, with the field names of a SubjectAccessReview's `resourceAttributes`, so the same
 * request can be sent to a real API server.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/subject-access-review-v1/
 */
export interface ResourceAttributes {
  /** Absent for cluster-wide requests (namespaces, impersonation, cluster-scoped resources). */
  readonly namespace?: string;
  readonly verb: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

/** Who asks, as the API server sees them after authentication: a user name and its groups. */
export interface AccessSubject {
  readonly user: string;
  readonly groups: readonly string[];
}

interface BindingSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

interface RoleRef {
  readonly kind: string;
  readonly name: string;
}

const rulesOf = (object: KubeObject | undefined): readonly RbacRule[] =>
  (object?.rules as readonly RbacRule[] | undefined) ?? [];

function appliesTo(
  subject: BindingSubject,
  who: AccessSubject,
  bindingNamespace: string | undefined,
): boolean {
  switch (subject.kind) {
    case SubjectKind.USER:
      return subject.name === who.user;
    case SubjectKind.GROUP:
      return who.groups.includes(subject.name);
    case SubjectKind.SERVICE_ACCOUNT:
      return who.user === `system:serviceaccount:${subject.namespace ?? bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

/** RBAC's rule matching: wildcards, `resource/subresource`, `*\/subresource` and resource names. */
export function ruleAllows(rule: RbacRule, request: ResourceAttributes): boolean {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const verb = rule.verbs.includes('*') || rule.verbs.includes(request.verb);
  const group = rule.apiGroups.includes('*') || rule.apiGroups.includes(request.group);
  const resources = rule.resources.some(
    (r) =>
      r === '*' || r === resource || (request.subresource !== undefined && r === `*/${request.subresource}`),
  );
  const names =
    rule.resourceNames === undefined ||
    rule.resourceNames.length === 0 ||
    (request.name !== undefined && rule.resourceNames.includes(request.name));
  return verb && group && resources && names;
}

/**
 * The namespace the API server authorizes `request` in: a request on the namespace object itself
 * (`/api/v1/namespaces/<name>`) counts as a request inside `<name>`, so namespaced Roles there apply.
 */
export function namespaceOf(request: ResourceAttributes): string | undefined {
  const onNamespaceObject =
    request.group === '' && request.resource === 'namespaces' && request.name !== undefined;
  return request.namespace ?? (onNamespaceObject ? request.name : undefined);
}

/**
 * Whether the RBAC objects in `objects` allow `subject` to make `request`, evaluated as the API server's
 * RBAC authorizer does: RoleBindings grant in their own namespace only, ClusterRoleBindings everywhere.
 * Only what `objects` declares counts; a cluster's other bindings (e.g. its defaults) are not known here.
 */
export function isAllowed(
  objects: readonly KubeObject[],
  subject: AccessSubject,
  request: ResourceAttributes,
): boolean {
  const find = (kind: string, name: string, namespace?: string): KubeObject | undefined =>
    objects.find(
      (o) =>
        o.kind === kind &&
        o.metadata?.name === name &&
        (namespace === undefined || o.metadata?.namespace === namespace),
    );
  const requestNamespace = namespaceOf(request);
  return objects.some((binding) => {
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') return false;
    const namespace = binding.metadata?.namespace;
    if (binding.kind === 'RoleBinding' && namespace !== requestNamespace) return false;
    const subjects = (binding.subjects as readonly BindingSubject[] | undefined) ?? [];
    if (!subjects.some((s) => appliesTo(s, subject, namespace))) return false;
    const ref = binding.roleRef as RoleRef;
    const granted = ref.kind === 'Role' ? find('Role', ref.name, namespace) : find('ClusterRole', ref.name);
    return rulesOf(granted).some((rule) => ruleAllows(rule, request));
  });
}
