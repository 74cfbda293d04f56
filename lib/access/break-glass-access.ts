import { KubeObject } from '../policy/types';
import { READ_ONLY_RULES } from './read-only-access';
import { RbacRule, clusterRole, clusterRoleBinding, groupSubject, role, roleBinding } from './rbac-objects';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Emergency edit rights in one namespace: everything a reader sees plus secrets, writes to workloads and
 * their configuration, exec, attach, port-forward and eviction. Never RBAC objects, service-account
 * tokens, impersonation, the namespace itself or its quotas.
 */
export const BREAK_GLASS_RULES: readonly RbacRule[] = [
  ...READ_ONLY_RULES,
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: [''],
    resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'secrets', 'services'],
    verbs: WRITE,
  },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    verbs: WRITE,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
];

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
   * Prefix of the objects' names; cluster-wide ones also carry the namespace.
   * @default 'break-glass'
   */
  readonly name?: string;
}

/**
 * The break-glass path. `group` holds `BREAK_GLASS_RULES` in `namespace`; `requesterGroups` may
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
  const impersonator = `${props.namespace}-${name}-impersonator`;
  const impersonation: RbacRule[] = [
    { apiGroups: [''], resources: ['users'], resourceNames: [props.user], verbs: ['impersonate'] },
    { apiGroups: [''], resources: ['groups'], resourceNames: [props.group], verbs: ['impersonate'] },
  ];
  return [
    role(props.namespace, `${name}-edit`, BREAK_GLASS_RULES),
    roleBinding(props.namespace, `${name}-edit`, `${name}-edit`, [groupSubject(props.group)]),
    clusterRole(impersonator, impersonation),
    clusterRoleBinding(impersonator, impersonator, props.requesterGroups.map(groupSubject)),
  ];
}
