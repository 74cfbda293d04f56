import { FileTree, ImagePins, PinBumpRules, PinReleaseResult, applyPinRelease } from '../lib';
import { buildModel, renderInfra } from './app';
import { imageRepositories, shaTagLength } from './config';
import { IMAGE_PINS_FILE, INFRA_DIR, SYNTH_OWNED_DIRS } from './paths';

/** What a release may change: the release file and the generated output. Nothing else. */
export const RELEASE_PATHS = [IMAGE_PINS_FILE, `${INFRA_DIR}/`] as const;

/** The catalog and tag format every release is checked against. */
export const releaseRules: PinBumpRules = {
  catalog: Object.keys(imageRepositories),
  tagLength: shaTagLength,
  pinSource: IMAGE_PINS_FILE,
};

/** Everything synth writes for a set of pins. */
export const renderWithPins = (pins: ImagePins): FileTree => renderInfra(buildModel(pins));

/** Pins `image` to `tag` in the repository at `root` and regenerates `infra/`, all or nothing. */
export function releaseImage(root: string, image: string, tag: string): PinReleaseResult {
  return applyPinRelease(image, tag, {
    root,
    pinsFile: IMAGE_PINS_FILE,
    outputDir: INFRA_DIR,
    ownedDirs: SYNTH_OWNED_DIRS,
    rules: releaseRules,
    render: renderWithPins,
  });
}
