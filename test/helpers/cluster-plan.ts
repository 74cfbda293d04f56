/** The Pulumi resources of the Sealed Secrets controller of ArgoCD's own cluster, serving production and argocd. */
export const SEALED_SECRETS_RESOURCES: readonly string[] = [
  'gitops:sealing:SealedSecretsController sealed-secrets',
  'gitops:kubernetes:KubeObjects sealed-secrets-definition',
  'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition sealed-secrets-definition-customresourcedefinition',
  'gitops:kubernetes:KubeObjects sealed-secrets-namespace',
  'kubernetes:core/v1:Namespace sealed-secrets-namespace-namespace',
  'gitops:kubernetes:KubeObjects sealed-secrets-controller',
  'kubernetes:core/v1:ServiceAccount sealed-secrets-controller-serviceaccount',
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole sealed-secrets-controller-clusterrole',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding sealed-secrets-controller-rolebinding',
  'kubernetes:core/v1:Service sealed-secrets-controller-service',
  'kubernetes:apps/v1:Deployment sealed-secrets-controller-deployment',
  'gitops:kubernetes:KubeObjects sealed-secrets-unsealer-production',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding sealed-secrets-unsealer-production-rolebinding',
  'gitops:kubernetes:KubeObjects sealed-secrets-unsealer-argocd',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding sealed-secrets-unsealer-argocd-rolebinding',
];

/**
 * The Pulumi resources (type, then name) the program declares for the cluster, written out once: the
 * mocked program test and the real engine's plan both expect exactly these, besides their own.
 */
export const CLUSTER_RESOURCES: readonly string[] = [
  'pulumi:providers:kubernetes production-cluster',
  'gitops:kubernetes:RestrictedNamespace namespace-argocd',
  'kubernetes:core/v1:Namespace namespace-argocd-namespace',
  'gitops:access:ArgoCdSecretsSyncAccess argocd-gitops-sync',
  'kubernetes:rbac.authorization.k8s.io/v1:Role argocd-gitops-sync-role',
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding argocd-gitops-sync-rolebinding',
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
  ...SEALED_SECRETS_RESOURCES,
];
