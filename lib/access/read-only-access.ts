import { KubeObject } from '../manifest/kube-object';
import { RbacRule, groupSubject, role, roleBinding } from './rbac-objects';

/**
 * What a reader may see in a namespace: workloads, their pods, logs and events, and the objects around
 * them. Every resource is named: no wildcard, so no subresource comes along by accident. Absent on
 * purpose: `secrets` (their values), `pods/exec`, `pods/attach`, `pods/portforward` and every `proxy`
 * subresource (each would let a reader act inside a running container or reach its network).
 */
export const READ_ONLY_RULES: readonly RbacRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'persistentvolumeclaims',
      'pods',
      'pods/log',
      'replicationcontrollers',
      'resourcequotas',
      'serviceaccounts',
      'services',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps'],
    resources: ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'networkpolicies'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
];

export interface ReadOnlyAccessProps {
  /** Namespace the groups may read. */
  readonly namespace: string;
  /** Identity-provider groups that get read access. At least one. */
  readonly groups: readonly string[];
  /**
   * Name of the Role and its RoleBinding.
   * @default 'read-only'
   */
  readonly name?: string;
}

/** A Role with `READ_ONLY_RULES` and the RoleBinding that grants it to `groups`, in one namespace. */
export function readOnlyAccessObjects(props: ReadOnlyAccessProps): KubeObject[] {
  const name = props.name ?? 'read-only';
  if (props.groups.length === 0) {
    throw new Error(`ReadOnlyAccess ${props.namespace}/${name}: groups is empty; name at least one group`);
  }
  return [
    role(props.namespace, name, READ_ONLY_RULES),
    roleBinding(props.namespace, name, name, props.groups.map(groupSubject)),
  ];
}
