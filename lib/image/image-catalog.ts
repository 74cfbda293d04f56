import { readFileSync } from 'node:fs';
import { PIN_FILE_FORMAT, PIN_KNOWN_IMAGE, PIN_PRESENT, PIN_SHA_TAG, PinFileError } from './pin-file-error';
import { ImageSource } from './image-source';
import { ImagePins } from './image-pins';
import { shaTagProblem } from './sha-tag';

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

/** How a release file is read and checked. */
export interface ImageCatalogOptions {
  /** Path of the release file, relative to the repository root, named in every error. */
  readonly pinSource: string;
  /** Hex digits in a `sha-` tag, exactly as CI produces them. */
  readonly shaTagLength: number;
  /**
   * Where the catalog is declared, named in the fix of a pin for an unknown image.
   * @default 'the image catalog'
   */
  readonly catalogSource?: string;
}

/** The advice for a file that is no longer what a release wrote. */
const restoreFix = (pinSource: string): string =>
  `restore it from the production branch (git checkout origin/main -- ${pinSource}); pins change only through npm run release`;

/** The release file's text as an object of image name → tag; a `PinFileError` (PIN001) otherwise. */
export function parseImagePins(text: string, pinSource: string): ImagePins {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PinFileError({
      rule: PIN_FILE_FORMAT,
      file: pinSource,
      problem: `not valid JSON (${(error as Error).message})`,
      fix: restoreFix(pinSource),
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PinFileError({
      rule: PIN_FILE_FORMAT,
      file: pinSource,
      problem: `holds ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}, not an object of image name → tag`,
      fix: restoreFix(pinSource),
    });
  }
  return value as ImagePins;
}

/**
 * Reads the release file at `path` (named `pinSource` in errors): a `PinFileError` (PIN001) when it is
 * missing or unreadable, or as `parseImagePins` says.
 */
export function readPins(path: string, pinSource: string = path): ImagePins {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PinFileError({
      rule: PIN_FILE_FORMAT,
      file: pinSource,
      problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      fix: restoreFix(pinSource),
    });
  }
  return parseImagePins(text, pinSource);
}

/**
 * Joins the repositories an app declares with the pins from its release file. Every declared image needs
 * exactly one pin, a `sha-` tag of `shaTagLength` hex digits, and every pin a declared image; anything
 * else throws a `PinFileError` naming the rule, the file, the image and the fix.
 *
 * @param repositories logical name → repository, from the app's typed config.
 * @param pins logical name → tag, from the release file that CI updates.
 */
export function createImageCatalog<Name extends string>(
  repositories: Readonly<Record<Name, string>>,
  pins: ImagePins,
  options: ImageCatalogOptions,
): ImageCatalog<Name> {
  const { pinSource, shaTagLength } = options;
  const names = Object.keys(repositories) as Name[];
  const unknown = Object.keys(pins).find((pin) => !names.includes(pin as Name));
  if (unknown !== undefined) {
    throw new PinFileError({
      rule: PIN_KNOWN_IMAGE,
      file: pinSource,
      image: unknown,
      problem: `pin for image "${unknown}", which the catalog does not declare (it has ${names.map((name) => `"${name}"`).join(', ')})`,
      fix: `declare "${unknown}" in ${options.catalogSource ?? 'the image catalog'} in the same pull request, or remove its pin`,
    });
  }
  const entries = names.map((name): [Name, PinnedImage] => {
    const tag = pins[name];
    if (tag === undefined) {
      throw new PinFileError({
        rule: PIN_PRESENT,
        file: pinSource,
        image: name,
        problem: `image "${name}" has no pin`,
        fix: `add "${name}": "<the sha- tag CI built for it>" in a reviewed pull request, or ${restoreFix(pinSource)}`,
      });
    }
    const problem = typeof tag === 'string' ? shaTagProblem(tag, shaTagLength) : 'a pin is a string';
    if (problem !== undefined) {
      throw new PinFileError({
        rule: PIN_SHA_TAG,
        file: pinSource,
        image: name,
        problem: `image "${name}" has pin ${JSON.stringify(tag)}: ${problem}`,
        fix: restoreFix(pinSource),
      });
    }
    const repository = repositories[name];
    return [name, { name, repository, tag: tag as string, reference: `${repository}:${tag}` }];
  });
  return Object.fromEntries(entries) as Record<Name, PinnedImage>;
}

/** Repository → pinned tag: the catalog as the policy rule IMG003 reads it. */
export function pinnedTags(catalog: Readonly<Record<string, PinnedImage>>): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.values(catalog).map((image) => [image.repository, image.tag]));
}

/** What an app declares about one image of its catalog; the tag comes from the release file. */
export interface CatalogEntry {
  /** Repository without tag, e.g. `ghcr.io/acme/backend`. */
  readonly repository: string;
  /** Where the image's source lives, and so how a release of it starts. */
  readonly source: ImageSource;
}
