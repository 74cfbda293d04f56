import { GroupKind } from '../manifest/api-group';

/** A kind an operator may apply by hand in an emergency, with the names RBAC knows it by. */
export interface ApplicableKind extends GroupKind {
  /** The resource (plural) RBAC rules name. */
  readonly resource: string;
  /** Subresources an operator uses on it (`kubectl scale`). @default - none */
  readonly subresources?: readonly string[];
}

/**
 * The namespaced kinds an application is made of, which the break-glass identity may be given write
 * access to so it can apply a namespace's rendered manifests (docs/runbooks/argocd-down.md). A kind
 * missing here is refused, never guessed: a wrong plural would grant nothing, or something else.
 */
export const APPLICABLE_KINDS: readonly ApplicableKind[] = [
  { group: '', kind: 'ConfigMap', resource: 'configmaps' },
  { group: '', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims' },
  { group: '', kind: 'Service', resource: 'services' },
  { group: '', kind: 'ServiceAccount', resource: 'serviceaccounts' },
  { group: 'apps', kind: 'DaemonSet', resource: 'daemonsets' },
  { group: 'apps', kind: 'Deployment', resource: 'deployments', subresources: ['scale'] },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets', subresources: ['scale'] },
  { group: 'batch', kind: 'CronJob', resource: 'cronjobs' },
  { group: 'batch', kind: 'Job', resource: 'jobs' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers' },
  { group: 'policy', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets' },
  { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', resource: 'networkpolicies' },
];

/** Kinds no hand-applied change may write, whatever the manifests hold, and why. */
const NEVER_APPLIED: readonly { readonly matches: (kind: GroupKind) => boolean; readonly why: string }[] = [
  {
    matches: (k) => k.group === 'rbac.authorization.k8s.io',
    why: 'RBAC objects would let the identity grant itself, or anyone, anything',
  },
  {
    matches: (k) => k.group === '' && k.kind === 'Namespace',
    why: 'the namespace object carries the Pod Security labels, and deleting it deletes everything in it',
  },
  {
    matches: (k) => k.group === '' && (k.kind === 'ResourceQuota' || k.kind === 'LimitRange'),
    why: "the namespace's quotas and limits are the cluster administrators' decision",
  },
  {
    matches: (k) => k.group === 'admissionregistration.k8s.io',
    why: 'admission policies are what keeps hand-applied changes within the policy',
  },
];

/** `apps/Deployment`, `core/ConfigMap`: how errors name a kind. */
export const describeKind = (kind: GroupKind): string => `${kind.group || 'core'}/${kind.kind}`;

/**
 * The RBAC names of `kinds`, in their order; throws, naming the kind and the fix, for a kind that may
 * never be written by hand or that `APPLICABLE_KINDS` does not list. `source` prefixes the errors.
 */
export function applicableKindsOf(kinds: readonly GroupKind[], source: string): ApplicableKind[] {
  return kinds.map((kind) => {
    const never = NEVER_APPLIED.find((entry) => entry.matches(kind));
    if (never) {
      throw new Error(
        `${source}: ${describeKind(kind)} may never be applied by hand (${never.why}); take it out of the manifests the break-glass identity applies`,
      );
    }
    const known = APPLICABLE_KINDS.find((entry) => entry.group === kind.group && entry.kind === kind.kind);
    if (!known) {
      throw new Error(
        `${source}: ${describeKind(kind)} is not a kind break-glass knows how to grant; add its resource name to APPLICABLE_KINDS in lib/access/applicable-kinds.ts`,
      );
    }
    return known;
  });
}
