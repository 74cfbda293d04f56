import { KubeObject } from '../manifest/kube-object';
import { RbacRule, ServiceAccountRef, role, roleBinding, serviceAccountSubject } from './rbac-objects';
import { READ_ONLY_RULES } from './read-only-access';

const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * What a GitOps controller needs to make a namespace equal Git: read what a reader reads, and create,
 * change and delete the kinds of objects an application is made of. Resources are listed, never `*`
 * (a `*` also grants every subresource, `pods/exec` among them):
 * the API server authorizes a request on the namespace object itself (`namespaces/<name>`) as a request
 * inside that namespace, so a namespaced `*` would let the controller delete the namespace or drop its
 * Pod Security labels. Secrets are left out as well (no Secret values live in Git), and so are
 * `impersonate`, `escalate` and `bind`.
 */
export const SYNC_RULES: readonly RbacRule[] = [
  ...READ_ONLY_RULES,
  {
    apiGroups: [''],
    resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'serviceaccounts', 'services'],
    verbs: WRITE,
  },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: WRITE,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  // The sealed form of a service's secret (docs/adr/0005): the Secret itself stays the controller's.
  { apiGroups: ['bitnami.com'], resources: ['sealedsecrets'], verbs: WRITE },
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

/**
 * What `root` needs in ArgoCD's own namespace beyond the release's Role (which covers ArgoCD's kinds,
 * ConfigMaps and Secrets, but no other group): ArgoCD's own Secrets in their sealed form
 * (charts/argocd-secrets.ts). Nothing else: the Secrets themselves are the Sealed Secrets controller's.
 */
export const ARGOCD_SECRETS_SYNC_RULES: readonly RbacRule[] = [
  { apiGroups: ['bitnami.com'], resources: ['sealedsecrets'], verbs: WRITE },
];

/** A Role with `ARGOCD_SECRETS_SYNC_RULES` in ArgoCD's namespace and its RoleBinding to the controller. */
export function argocdSecretsSyncObjects(props: SyncAccessProps): KubeObject[] {
  const name = props.name ?? 'gitops-sync-sealed-secrets';
  return [
    role(props.namespace, name, ARGOCD_SECRETS_SYNC_RULES),
    roleBinding(props.namespace, name, name, [serviceAccountSubject(props.serviceAccount)]),
  ];
}
