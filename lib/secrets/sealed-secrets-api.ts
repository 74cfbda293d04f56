/**
 * The API of Bitnami's Sealed Secrets controller (github.com/bitnami-labs/sealed-secrets, the version
 * tools/sealed-secrets pins): what our SealedSecrets, `npm run seal` and the policy rules about them share.
 */
export const SEALED_SECRET_GROUP = 'bitnami.com';
export const SEALED_SECRET_API_VERSION = `${SEALED_SECRET_GROUP}/v1alpha1`;
export const SEALED_SECRET_KIND = 'SealedSecret';

/**
 * The types of Secret a SealedSecret may make: Opaque, and a TLS certificate with its key (the keys
 * `tls.crt` and `tls.key`). Never a service-account token (the cluster would mint one) nor any other
 * type (rule SEC001).
 */
export const SEALED_SECRET_TYPES = ['Opaque', 'kubernetes.io/tls'] as const;
export type SealedSecretType = (typeof SEALED_SECRET_TYPES)[number];

/**
 * Annotations that widen what a sealed value is bound to. With `cluster-wide: "true"` the controller
 * decrypts it under any name in any namespace, with `namespace-wide: "true"` under any name in its
 * namespace; without either (strict scope, the default) only as the SealedSecret's own name and namespace.
 */
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const SCOPE_ANNOTATIONS: readonly string[] = [CLUSTER_WIDE_ANNOTATION, NAMESPACE_WIDE_ANNOTATION];

/** True for a SealedSecret of the controller's group, whatever its version. */
export const isSealedSecret = (object: { readonly apiVersion?: unknown; readonly kind?: unknown }): boolean =>
  object.kind === SEALED_SECRET_KIND &&
  typeof object.apiVersion === 'string' &&
  object.apiVersion.startsWith(`${SEALED_SECRET_GROUP}/`);
