/** Where generated output and the release file live, relative to the repository root. */
export const INFRA_DIR = 'infra';
export const IMAGE_PINS_FILE = 'charts/image-pins.json';
/**
 * The sealed values of the services' secrets, written by `npm run seal`:
 * `<SEALED_SECRETS_DIR>/<environment>/<service>-<secret>.json`.
 */
export const SEALED_SECRETS_DIR = 'charts/sealed-secrets';
/** The public certificate of each cluster's Sealed Secrets controller: `<SEALING_CERTIFICATES_DIR>/<cluster>.pem`. */
export const SEALING_CERTIFICATES_DIR = 'charts/sealing-certificates';
/** The file holding the sealing certificate of the cluster named `cluster` (its name in ArgoCD). */
export const sealingCertificateFile = (cluster: string): string =>
  `${SEALING_CERTIFICATES_DIR}/${cluster}.pem`;

/** Relative to INFRA_DIR. */
export const K8S_DIR = 'k8s';
/** The environment-neutral kustomize base of a component (a service, or the namespace baseline). */
export const baseDir = (component: string): string => `${K8S_DIR}/${component}/base`;
/** The overlay of a component in one environment: what its Application syncs. */
export const overlayDir = (component: string, environment: string): string =>
  `${K8S_DIR}/${component}/overlays/${environment}`;
/** What each preview renders: every base, plus the preview's own Namespace. */
export const PREVIEW_DIR = `${K8S_DIR}/preview`;

/** Relative to INFRA_DIR: ArgoCD's Applications, projects and settings; the root Application syncs it. */
export const ARGOCD_DIR = 'argocd';
/** Relative to ARGOCD_DIR: the folder of each kind; files are `<folder>/<name>.yaml`. */
export const ARGOCD_KIND_DIRS = {
  Application: 'applications',
  ApplicationSet: 'applicationsets',
  AppProject: 'projects',
  ConfigMap: 'settings',
  SealedSecret: 'secrets',
} as const;

/** Relative to INFRA_DIR: what the Pulumi program applies to the cluster, written by `npm run rbac:export` (not synth). */
export const CLUSTER_DIR = 'cluster';
export const CLUSTER_MANIFESTS_DIR = `${CLUSTER_DIR}/manifests`;
export const AUDIT_POLICY_FILE = `${CLUSTER_DIR}/audit/audit-policy.yaml`;
/** Relative to the repository root: the access matrix, rendered by `npm run rbac:export`. */
export const ACCESS_MATRIX_DOC = 'docs/access-matrix.md';

/** Top-level folders of INFRA_DIR that `npm run synth` owns and replaces as a whole. */
export const SYNTH_OWNED_DIRS = [K8S_DIR, ARGOCD_DIR];
