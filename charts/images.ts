import { join } from 'node:path';
import { CatalogEntry, ImageCatalog, ImagePins, createImageCatalog, readPins } from '../lib';
import { registry, shaTagLength } from './config';
import { IMAGE_PINS_FILE } from './paths';
import { ServiceDeclaration } from './service-declaration';
import { ServiceName, services } from './services';

/** Every image production runs: the image of each service of the catalog, by the service's name. */
export type ImageName = ServiceName;

/**
 * The image catalog: the repository each image is pushed to, and where its source lives, which decides
 * how a release of it starts (docs/release.md). Tags come from the release file (`image-pins.json`).
 */
export const imageCatalog = catalogEntriesOf(services) as Readonly<Record<ImageName, CatalogEntry>>;

/** The catalog entry of each service of `declared`, by service name. */
function catalogEntriesOf(declared: readonly ServiceDeclaration[]): Readonly<Record<string, CatalogEntry>> {
  return Object.fromEntries(
    declared.map((service) => [
      service.name,
      { repository: service.image.repository ?? `${registry}/${service.name}`, source: service.image.source },
    ]),
  );
}

const byName = <T>(pick: (entry: CatalogEntry) => T): Readonly<Record<ImageName, T>> =>
  Object.fromEntries(services.map(({ name }) => [name, pick(imageCatalog[name])])) as Record<ImageName, T>;

/** Logical image name → repository. */
export const imageRepositories = byName((entry) => entry.repository);

/** Logical image name → where its source lives. */
export const imageSources = byName((entry) => entry.source);

export type { ImagePins };

/** This repository's root: the charts folder's parent. */
const REPOSITORY_ROOT = join(__dirname, '..');

/**
 * The images of `declared` (the catalog by default) pinned by `imagePins`: `npm run release` renders
 * with the new pins before it writes anything.
 */
export function catalogOf(imagePins: ImagePins): ImageCatalog<ImageName>;
export function catalogOf(
  imagePins: ImagePins,
  declared: readonly ServiceDeclaration[],
): ImageCatalog<string>;
export function catalogOf(
  imagePins: ImagePins,
  declared: readonly ServiceDeclaration[] = services,
): ImageCatalog<string> {
  const repositories = Object.fromEntries(
    Object.entries(catalogEntriesOf(declared)).map(([name, entry]) => [name, entry.repository]),
  );
  return createImageCatalog(repositories, imagePins, {
    pinSource: IMAGE_PINS_FILE,
    shaTagLength,
    catalogSource: 'services in charts/services.ts',
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
