import { ImageCatalog, createImageCatalog } from '../lib';
import { ImageName, imageRepositories } from './config';
import { IMAGE_PINS_FILE } from './paths';
import pins from './image-pins.json';

/** Every image production runs, pinned by the release file. */
export const images: ImageCatalog<ImageName> = createImageCatalog(imageRepositories, pins, IMAGE_PINS_FILE);
