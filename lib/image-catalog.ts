import { SHA_TAG_PATTERN } from './image-reference';

/** One image of the catalog, resolved to the tag that production runs. */
export interface PinnedImage {
  /** Logical name, e.g. `backend`: the only way charts refer to an image. */
  readonly name: string;
  /** Repository without tag, e.g. `ghcr.io/acme/backend`. */
  readonly repository: string;
  /** The pinned `sha-` tag. */
  readonly tag: string;
  /** `repository:tag`, what a container spec holds. */
  readonly reference: string;
}

export type ImageCatalog<Name extends string> = Readonly<Record<Name, PinnedImage>>;

/**
 * Joins the repositories an app declares with the pins from its release file.
 * Every declared image needs exactly one pin, and every pin a declared image.
 *
 * @param repositories logical name → repository, from the app's typed config.
 * @param pins logical name → tag, from the release file that CI updates.
 * @param pinSource path of the release file, named in errors.
 */
export function createImageCatalog<Name extends string>(
  repositories: Readonly<Record<Name, string>>,
  pins: Readonly<Record<string, unknown>>,
  pinSource: string,
): ImageCatalog<Name> {
  const names = Object.keys(repositories) as Name[];
  const unknown = Object.keys(pins).filter((pin) => !(pin in repositories));
  if (unknown.length > 0) {
    throw new Error(
      `${pinSource}: pins for unknown images ${unknown.join(', ')}; declare them in the image catalog or remove the pin`,
    );
  }
  const entries = names.map((name): [Name, PinnedImage] => {
    const tag = pins[name];
    if (typeof tag !== 'string' || !SHA_TAG_PATTERN.test(tag)) {
      throw new Error(
        `${pinSource}: image "${name}" has pin ${JSON.stringify(tag)}; expected "sha-" followed by 7 to 40 lowercase hex digits (use npm run release)`,
      );
    }
    const repository = repositories[name];
    return [name, { name, repository, tag, reference: `${repository}:${tag}` }];
  });
  return Object.fromEntries(entries) as Record<Name, PinnedImage>;
}
