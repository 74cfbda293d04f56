/**
 * Who writes what, by the `manager` names the API server records in `metadata.managedFields`. For a
 * request without a field manager, the API server takes the client's user agent up to its first `/`.
 */
export interface FieldManagers {
  /** What syncs from Git: its writes are the desired state, never a hand change. */
  readonly gitops: readonly string[];
  /**
   * The cluster's own controllers: their writes are bookkeeping of what Git declared (status, revision
   * annotations, replicas an autoscaler sets), never a hand change.
   */
  readonly controllers: readonly string[];
}

/**
 * ArgoCD v3.5.1's sync writes with one field manager, `argocd-controller` (`ArgoCDSSAManager` in
 * `common/common.go`): gitops-engine passes it as `FieldManager` to its client-side apply as well as to
 * its server-side apply (`pkg/utils/kube/resource_ops.go` `newApplyOptions`), so both an `Update` and an
 * `Apply` entry of that manager are the sync's. Its other writes (an update of a CRD or Namespace with
 * `Replace=true`, its own objects) carry the controller's user agent, `argocd-application-controller`.
 */
export const ARGOCD_FIELD_MANAGERS: readonly string[] = [
  'argocd-controller',
  'argocd-application-controller',
];

/** Kubernetes' own components, by the user agent each sends. */
export const KUBERNETES_CONTROLLER_MANAGERS: readonly string[] = [
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'cloud-controller-manager',
];

/** ArgoCD syncs; Kubernetes' controllers keep the books. */
export const DEFAULT_FIELD_MANAGERS: FieldManagers = {
  gitops: ARGOCD_FIELD_MANAGERS,
  controllers: KUBERNETES_CONTROLLER_MANAGERS,
};

/** True when `manager` is neither the GitOps tool nor a cluster controller: someone changed it by hand. */
export function isHandManager(manager: string | undefined, managers: FieldManagers): boolean {
  if (manager === undefined) return true;
  return !managers.gitops.includes(manager) && !managers.controllers.includes(manager);
}
