import { KubeObject } from '../policy/types';
import { RbacRule, ServiceAccountRef, role, roleBinding, serviceAccountSubject } from './rbac-objects';

/**
 * What a GitOps controller needs to make a namespace equal Git: read, create, change and delete any
 * resource there. The verbs are listed rather than `*`, so `impersonate`, `escalate` and `bind` stay out.
 * The Role is namespaced: the namespace itself, and anything cluster-wide, stay out of its reach.
 */
export const SYNC_RULES: readonly RbacRule[] = [
  {
    apiGroups: ['*'],
    resources: ['*'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
];

export interface SyncAccessProps {
  /** Namespace the controller keeps in sync with Git. */
  readonly namespace: string;
  /** The controller's service account, e.g. argocd/argocd-application-controller. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Name of the Role and RoleBinding.
   * @default 'gitops-sync'
   */
  readonly name?: string;
}

/** A Role with `SYNC_RULES` in `namespace` and its RoleBinding to the controller's service account. */
export function syncAccessObjects(props: SyncAccessProps): KubeObject[] {
  const name = props.name ?? 'gitops-sync';
  return [
    role(props.namespace, name, SYNC_RULES),
    roleBinding(props.namespace, name, name, [serviceAccountSubject(props.serviceAccount)]),
  ];
}
