import { ImageCatalog, ImagePins, createImageCatalog } from '../lib';
import { ImageName, imageRepositories } from './config';
import { IMAGE_PINS_FILE } from './paths';
import pins from './image-pins.json';

export type { ImagePins };

/** The catalog for `imagePins`: `npm run release` renders with the new pins before it writes anything. */
export function catalogOf(imagePins: ImagePins): ImageCatalog<ImageName> {
  return createImageCatalog(imageRepositories, imagePins, IMAGE_PINS_FILE);
}

/** Every image production runs, pinned by the release file. */
export const images: ImageCatalog<ImageName> = catalogOf(pins);
