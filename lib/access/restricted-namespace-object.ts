import { KubeObject } from '../manifest/kube-object';

/** Pod Security Standards version the namespace labels pin, so an API-server upgrade never changes them silently. */
export const DEFAULT_POD_SECURITY_VERSION = 'v1.33';

export interface RestrictedNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * Pod Security Standards version to enforce, audit and warn with: `v1.<minor>` or `latest`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   * @default DEFAULT_POD_SECURITY_VERSION
   */
  readonly podSecurityVersion?: string;
}

/**
 * A Namespace whose pods must meet the Pod Security "restricted" profile: enforced, and also reported
 * (audit, warn) at the same version. There is no option for a weaker profile.
 */
export function restrictedNamespaceObject(props: RestrictedNamespaceProps): KubeObject {
  const version = props.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
  if (!/^(v1\.\d+|latest)$/.test(version)) {
    throw new Error(
      `RestrictedNamespace ${props.name}: podSecurityVersion "${version}" is not a Pod Security version; use v1.<minor> (e.g. ${DEFAULT_POD_SECURITY_VERSION}) or latest`,
    );
  }
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: props.name, labels } };
}
