import { DIGEST_PATTERN, SHA_TAG_PATTERN, parseImageReference, repositoryOf } from '../image-reference';
import { containersOf, podSpecOf } from './pod-spec';
import { Finding, KubeObject, PolicyOptions, PolicyRule } from './types';

function eachImage(
  object: KubeObject,
  check: (image: string, label: string) => string | undefined,
): Finding[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  return containersOf(pod).flatMap(({ label, container }) => {
    const message = check(container.image ?? '', label);
    return message ? [{ message }] : [];
  });
}

function fromAllowedRegistry(image: string, options: PolicyOptions): boolean {
  const repository = repositoryOf(parseImageReference(image));
  return options.allowedRegistries.some((prefix) => repository.startsWith(prefix));
}

export const IMAGE_REGISTRY: PolicyRule = {
  id: 'IMG001',
  title: 'Images come only from the allowed registries',
  fix: 'Build the image in CI and reference it through the image catalog (ghcr.io/<org>/<image>).',
  check: (object, options) =>
    eachImage(object, (image, label) =>
      fromAllowedRegistry(image, options)
        ? undefined
        : `${label} uses image "${image}", which is not under ${options.allowedRegistries.join(' or ')}`,
    ),
};

export const IMAGE_TAG: PolicyRule = {
  id: 'IMG002',
  title: 'Images are pinned to a sha- tag or a digest',
  fix: 'Pin a CI-built tag "sha-<7 to 40 lowercase hex>" or a "@sha256:<digest>"; never latest, dev or no tag.',
  check: (object) =>
    eachImage(object, (image, label) => {
      const { tag, digest } = parseImageReference(image);
      if (digest !== undefined) {
        return DIGEST_PATTERN.test(digest) ? undefined : `${label} has malformed digest "${digest}"`;
      }
      if (tag === undefined) return `${label} uses image "${image}" with no tag`;
      return SHA_TAG_PATTERN.test(tag) ? undefined : `${label} uses image "${image}" with tag "${tag}"`;
    }),
};
