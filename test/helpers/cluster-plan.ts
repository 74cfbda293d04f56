/**
 * The Pulumi resources (type, then name) the program declares for the cluster, written out once: the
 * mocked program test and the real engine's plan both expect exactly these, besides their own.
 */
export const CLUSTER_RESOURCES: readonly string[] = [
  'pulumi:providers:kubernetes production-cluster',
  'gitops:kubernetes:RestrictedNamespace namespace-production',
  'kubernetes:core/v1:Namespace namespace-production-namespace',
  'gitops:access:ReadOnlyAccess read-only',
  'kubernetes:rbac.authorization.k8s.io/v1:Role read-only-role',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding read-only-rolebinding',
  'gitops:access:SyncAccess gitops-sync',
  'kubernetes:rbac.authorization.k8s.io/v1:Role gitops-sync-role',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding gitops-sync-rolebinding',
  'gitops:access:BreakGlassAccess break-glass',
  'kubernetes:rbac.authorization.k8s.io/v1:Role break-glass-role',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding break-glass-rolebinding',
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole break-glass-clusterrole',
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding break-glass-clusterrolebinding',
  'gitops:access:ImageAdmissionPolicy image-admission',
  'kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy image-admission-validatingadmissionpolicy',
  'kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding image-admission-validatingadmissionpolicybinding',
];
