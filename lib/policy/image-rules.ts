import { DIGEST_PATTERN, ImageReference, parseImageReference, repositoryOf } from '../image/image-reference';
import { IMAGE_TAG_RULE } from '../image/image-tag-rule';
import { shaTagProblem } from '../image/sha-tag';
import { containersOf, podSpecsOf } from './pod-spec';
import { KubeObject } from '../manifest/kube-object';
import { Finding, PolicyOptions, PolicyRule } from './types';

/** Image references by their text, each parsed once: three rules read every container's image. */
const REFERENCES = new Map<string, ImageReference>();

function referenceOf(image: string): ImageReference {
  let reference = REFERENCES.get(image);
  if (reference === undefined) REFERENCES.set(image, (reference = parseImageReference(image)));
  return reference;
}

/** Checks the image of every container (init, regular, ephemeral) of every pod spec of `object`. */
function eachImage(
  object: KubeObject,
  check: (image: string, label: string) => string | undefined,
): Finding[] {
  return podSpecsOf(object).flatMap(({ path, spec }) =>
    containersOf(spec).flatMap(({ label, container, path: inPod }) => {
      const message = check(typeof container.image === 'string' ? container.image : '', label);
      return message ? [{ message, path: [...path, ...inPod, 'image'] }] : [];
    }),
  );
}

function fromAllowedRegistry(image: string, options: PolicyOptions): boolean {
  const repository = repositoryOf(referenceOf(image));
  return options.allowedRegistries.some((prefix) => repository.startsWith(prefix));
}

/** An option the caller left out (a plain-JavaScript caller, or one written before the option existed). */
const notSet = (label: string, option: string, image: string): string =>
  `${label}: PolicyOptions.${option} is not set, so image "${image}" cannot be checked`;

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
  ...IMAGE_TAG_RULE,
  check: (object, options) =>
    eachImage(object, (image, label) => {
      const { tag, digest } = referenceOf(image);
      if (digest !== undefined) {
        return DIGEST_PATTERN.test(digest) ? undefined : `${label} has malformed digest "${digest}"`;
      }
      if (tag === undefined) return `${label} uses image "${image}" with no tag`;
      if (typeof options.shaTagLength !== 'number') return notSet(label, 'shaTagLength', image);
      const problem = shaTagProblem(tag, options.shaTagLength);
      return problem === undefined ? undefined : `${label} uses image "${image}": ${problem}`;
    }),
};

/**
 * A digest is refused here although IMG002 accepts one: the catalog pins tags, and a digest cannot be
 * compared with the pin, so it would be a second, unreviewed way of choosing what production runs.
 */
export const IMAGE_FROM_CATALOG: PolicyRule = {
  id: 'IMG003',
  title: 'Every image is a catalog image at its pinned tag',
  fix:
    'Take the image from the image catalog (images.<name> in charts/), which carries the pin of the ' +
    'release file; a new image is declared in the catalog and pinned there, and tags change only with npm run release.',
  check: (object, options) =>
    eachImage(object, (image, label) => {
      if (options.catalog === undefined) return notSet(label, 'catalog', image);
      const reference = referenceOf(image);
      if (reference.digest !== undefined) {
        return `${label} uses image "${image}" by digest, which cannot be checked against the pinned tag`;
      }
      const repository = repositoryOf(reference);
      const entry = Object.entries(options.catalog).find(
        ([candidate]) => repositoryOf(parseImageReference(candidate)) === repository,
      );
      if (entry === undefined) {
        return `${label} uses image "${image}", whose repository ${repository} is not in the image catalog`;
      }
      const [name, pinned] = entry;
      return reference.tag === pinned
        ? undefined
        : `${label} uses image "${image}", but the catalog pins ${name} to ${pinned}`;
    }),
};
