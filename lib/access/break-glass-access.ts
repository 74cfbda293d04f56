import { KubeObject } from '../manifest/kube-object';
import { GroupKind } from '../manifest/api-group';
import { applicableKindsOf } from './applicable-kinds';
import { READ_ONLY_RULES } from './read-only-access';
import { RbacRule, clusterRole, clusterRoleBinding, groupSubject, role, roleBinding } from './rbac-objects';

/** What applying a manifest needs (`kubectl apply` and `kubectl diff`: create or patch), and removing one. */
const APPLY_VERBS = ['create', 'patch', 'delete'];
/** What `kubectl scale` sends to a `scale` subresource (it reads and replaces it when given a precondition). */
const SCALE_VERBS = ['get', 'patch', 'update'];

/**
 * The emergency rights that do not depend on what the namespace runs (docs/runbooks/break-glass.md):
 * everything a reader sees, plus secrets (their values are never in Git, so an emergency may need to
 * read or replace one), deleting a stuck pod or a stuck run of a CronJob, eviction, exec, attach and
 * port-forward. Never RBAC objects, service-account tokens, impersonation, the namespace itself or its
 * quotas. The kinds the namespace is made of are added by `breakGlassRules()`.
 */
export const BREAK_GLASS_RULES: readonly RbacRule[] = [
  ...READ_ONLY_RULES,
  {
    apiGroups: [''],
    resources: ['secrets'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete'] },
];

/**
 * `BREAK_GLASS_RULES` plus create, patch and delete of exactly `applyKinds` (and their `scale`
 * subresource): what the ArgoCD-down procedure needs to apply the rendered manifests whole.
 * Throws for a kind that may never be written by hand, or one `APPLICABLE_KINDS` does not list.
 */
export function breakGlassRules(applyKinds: readonly GroupKind[], source = 'breakGlassRules'): RbacRule[] {
  const kinds = applicableKindsOf(applyKinds, source);
  const groups = [...new Set(kinds.map((kind) => kind.group))];
  const applyRules = groups.flatMap((group): RbacRule[] => {
    const ofGroup = kinds.filter((kind) => kind.group === group);
    const scalable = ofGroup.flatMap((kind) =>
      (kind.subresources ?? []).map((subresource) => `${kind.resource}/${subresource}`),
    );
    return [
      {
        apiGroups: [group],
        resources: [...new Set(ofGroup.map((kind) => kind.resource))],
        verbs: APPLY_VERBS,
      },
      ...(scalable.length > 0 ? [{ apiGroups: [group], resources: scalable, verbs: SCALE_VERBS }] : []),
    ];
  });
  return [...BREAK_GLASS_RULES, ...applyRules];
}

export interface BreakGlassAccessProps {
  /** Namespace the break-glass group may edit. */
  readonly namespace: string;
  /** Groups allowed to take the break-glass identity (on-call). At least one. */
  readonly requesterGroups: readonly string[];
  /** The group that holds the edit rights. Nobody should be a member: it is only ever impersonated. */
  readonly group: string;
  /**
   * The user name requesters impersonate together with `group` (the API server requires a user with
   * every impersonated group). It holds no rights of its own.
   */
  readonly user: string;
  /**
   * The kinds the identity may create, patch and delete: those of the manifests the ArgoCD-down
   * procedure applies to `namespace` (docs/runbooks/argocd-down.md). At least one. RBAC objects,
   * Namespaces, quotas and admission policies are refused.
   */
  readonly applyKinds: readonly GroupKind[];
  /**
   * Prefix of the objects' names; cluster-wide ones also carry the namespace.
   * @default 'break-glass'
   */
  readonly name?: string;
}

/**
 * The break-glass path. `group` holds `breakGlassRules(applyKinds)` in `namespace`; `requesterGroups` may
 * impersonate exactly `user` and `group` and nothing else, so every emergency request carries both the
 * requester's own name and the break-glass identity in the audit log:
 * `kubectl --as <user> --as-group <group> ...`.
 */
export function breakGlassAccessObjects(props: BreakGlassAccessProps): KubeObject[] {
  const name = props.name ?? 'break-glass';
  if (props.requesterGroups.length === 0) {
    throw new Error(
      `BreakGlassAccess ${props.namespace}/${name}: requesterGroups is empty; name the on-call group`,
    );
  }
  if (props.requesterGroups.includes(props.group)) {
    throw new Error(
      `BreakGlassAccess ${props.namespace}/${name}: group "${props.group}" is also a requester group; the break-glass group must only be reached by impersonation`,
    );
  }
  if (props.applyKinds.length === 0) {
    throw new Error(
      `BreakGlassAccess ${props.namespace}/${name}: applyKinds is empty; name the kinds the ArgoCD-down procedure applies`,
    );
  }
  const rules = breakGlassRules(props.applyKinds, `BreakGlassAccess ${props.namespace}/${name}`);
  const impersonator = `${props.namespace}-${name}-impersonator`;
  const impersonation: RbacRule[] = [
    { apiGroups: [''], resources: ['users'], resourceNames: [props.user], verbs: ['impersonate'] },
    { apiGroups: [''], resources: ['groups'], resourceNames: [props.group], verbs: ['impersonate'] },
  ];
  return [
    role(props.namespace, `${name}-edit`, rules),
    roleBinding(props.namespace, `${name}-edit`, `${name}-edit`, [groupSubject(props.group)]),
    clusterRole(impersonator, impersonation),
    clusterRoleBinding(impersonator, impersonator, props.requesterGroups.map(groupSubject)),
  ];
}
