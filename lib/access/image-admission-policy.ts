import { DIGEST_PATTERN } from '../image/image-reference';
import { shaTagPattern } from '../image/sha-tag';
import { KubeObject } from '../manifest/kube-object';
import { WorkloadResources, validatingPolicyObjects } from './admission-policy-objects';
import { celListOrEmpty, celString } from './cel';

/** Every resource that carries a pod spec, so no way of starting a container escapes the check. */
export const POD_CARRYING_RESOURCES: readonly WorkloadResources[] = [
  { group: '', resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'] },
  { group: 'apps', resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'] },
  { group: 'batch', resources: ['cronjobs', 'jobs'] },
];

export interface ImageAdmissionPolicyProps {
  /** Namespace whose workloads are checked. */
  readonly namespace: string;
  /** The only image repository prefix allowed, ending with `/`, e.g. `ghcr.io/acme/`. */
  readonly allowedRepositoryPrefix: string;
  /**
   * Hex digits of a `sha-` tag, exactly as CI produces them: the length the policy rule IMG002 and
   * `npm run release` use (`shaTagLength` in the app's config).
   */
  readonly shaTagLength: number;
  /**
   * Name of the policy and its binding.
   * @default `${namespace}-image-registry`
   */
  readonly name?: string;
}

/** The bodies of the `sha-` tag and digest patterns shared with the policy rules (IMG002). */
const body = (pattern: RegExp): string => pattern.source.replace(/^\^/, '').replace(/\$$/, '');
const PATH_COMPONENT = '[a-z0-9]+([._-][a-z0-9]+)*';

/**
 * The RE2 pattern (also a valid JavaScript one) an image must match: under `prefix`, with a `sha-` tag of
 * exactly `shaTagLength` hex digits, a digest, or both. Dots are written `[.]` so the pattern needs no
 * backslash inside a CEL string.
 */
export function allowedImagePattern(prefix: string, shaTagLength: number): string {
  if (!/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*\/$/.test(prefix)) {
    throw new Error(
      `allowedRepositoryPrefix "${prefix}" is not a registry path ending with "/"; write it like ghcr.io/acme/`,
    );
  }
  const tag = body(shaTagPattern(shaTagLength));
  const digest = body(DIGEST_PATTERN);
  const escaped = prefix.replace(/\./g, '[.]');
  return `^${escaped}${PATH_COMPONENT}(/${PATH_COMPONENT})*(:${tag}(@${digest})?|@${digest})$`;
}

/**
 * A ValidatingAdmissionPolicy that denies, in `namespace`, any pod or workload with a container, init
 * container or ephemeral container whose image is not under `allowedRepositoryPrefix` with a `sha-` tag
 * of `shaTagLength` hex digits or a digest. Defence in depth: the same rule holds at synth, in CI and in
 * ArgoCD's source.
 */
export function imageAdmissionPolicyObjects(props: ImageAdmissionPolicyProps): KubeObject[] {
  if (typeof props.shaTagLength !== 'number') {
    throw new Error(
      `image admission policy for ${props.namespace}: shaTagLength is not set; pass the length CI writes (shaTagLength in the app's config)`,
    );
  }
  const pattern = celString(allowedImagePattern(props.allowedRepositoryPrefix, props.shaTagLength));
  const expected =
    `every image must come from ${props.allowedRepositoryPrefix} and be pinned to a sha- tag of exactly ` +
    `${props.shaTagLength} lowercase hex digits or a sha256 digest`;
  const imagesOf = (list: string): string => `${list}.map(c, has(c.image) ? c.image : '')`;
  const spec = 'variables.podSpec';
  return validatingPolicyObjects({
    name: props.name ?? `${props.namespace}-image-registry`,
    namespace: props.namespace,
    resources: POD_CARRYING_RESOURCES,
    operations: ['CREATE', 'UPDATE'],
    variables: [
      {
        name: 'podSpec',
        expression:
          `request.resource.resource == 'pods' ? dyn(object).spec : ` +
          `(request.resource.resource == 'cronjobs' ? dyn(object).spec.jobTemplate.spec.template.spec : dyn(object).spec.template.spec)`,
      },
      {
        name: 'images',
        expression: [
          imagesOf(`${spec}.containers`),
          imagesOf(celListOrEmpty(spec, 'initContainers')),
          imagesOf(celListOrEmpty(spec, 'ephemeralContainers')),
        ].join(' + '),
      },
    ],
    validations: [
      {
        expression: `variables.images.all(image, image.matches(${pattern}))`,
        message: expected,
        messageExpression:
          `${celString(`${expected}; rejected: `)} + ` +
          `variables.images.filter(image, !image.matches(${pattern})).join(', ')`,
      },
    ],
  });
}
