import { KubeObject } from './kube-object';

/** Kinds that exist once per cluster, not inside a namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

/** API groups of documents that tools read but the API server never stores. */
const NON_API_GROUPS = ['kustomize.config.k8s.io/', 'audit.k8s.io/', 'kubeconfig'];

/** False for kustomizations, audit policies and other configuration files that look like objects. */
export function isApiObject(object: KubeObject): boolean {
  return !NON_API_GROUPS.some((group) => object.apiVersion.startsWith(group));
}

/** `Kind namespace/name`, or `Kind name` when the object has no namespace. */
export function describeObject(object: KubeObject): string {
  const name = object.metadata?.name ?? '<unnamed>';
  const namespace = object.metadata?.namespace;
  return namespace ? `${object.kind} ${namespace}/${name}` : `${object.kind} ${name}`;
}
