import { join } from 'node:path';
import { ImageCatalog, ImagePins, createImageCatalog, readPins } from '../lib';
import { ImageName, imageRepositories, shaTagLength } from './config';
import { IMAGE_PINS_FILE } from './paths';

export type { ImagePins };

/** This repository's root: the charts folder's parent. */
const REPOSITORY_ROOT = join(__dirname, '..');

/** The catalog for `imagePins`: `npm run release` renders with the new pins before it writes anything. */
export function catalogOf(imagePins: ImagePins): ImageCatalog<ImageName> {
  return createImageCatalog(imageRepositories, imagePins, {
    pinSource: IMAGE_PINS_FILE,
    shaTagLength,
    catalogSource: 'imageCatalog in charts/config.ts',
  });
}

/**
 * Reads and checks the release file of the repository at `root`: the one way the pins are loaded. Throws
 * a `PinFileError` (rule, file, image, fix) for a missing file, invalid JSON, a pin for an unknown image,
 * a catalog image with no pin, or a pin that is not a `sha-` tag of `shaTagLength` hex digits. Called
 * when a command needs the pins, never at import, so the command reports the error instead of crashing.
 */
export function loadPinnedImages(root: string = REPOSITORY_ROOT): ImageCatalog<ImageName> {
  return catalogOf(readPins(join(root, IMAGE_PINS_FILE), IMAGE_PINS_FILE));
}

/** A catalog whose entries call `load` the first time one is read, once. */
function readOnFirstUse(load: () => ImageCatalog<ImageName>): ImageCatalog<ImageName> {
  let loaded: ImageCatalog<ImageName> | undefined;
  const catalog = {};
  for (const name of Object.keys(imageRepositories) as ImageName[]) {
    Object.defineProperty(catalog, name, { enumerable: true, get: () => (loaded ??= load())[name] });
  }
  return catalog as ImageCatalog<ImageName>;
}

/** Every image production runs, pinned by the release file; the file is read when an entry is first used. */
export const images: ImageCatalog<ImageName> = readOnFirstUse(() => loadPinnedImages());
