import { FileTree, ImagePins, PinBumpRules, PinReleaseResult, ReleaseError, applyPinRelease } from '../lib';
import { buildModel, renderInfra } from './app';
import { shaTagLength } from './config';
import { imageRepositories } from './images';
import { loadPinnedImages } from './images';
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
export const renderWithPins = (pins: ImagePins): FileTree => renderInfra(buildModel({ imagePins: pins }));

/**
 * `renderWithPins`, with a failure of the charts (a policy violation, a workload without resource limits)
 * reported as the reason the release cannot be made, like any other refusal, rather than as a crash.
 */
function renderForRelease(pins: ImagePins): FileTree {
  try {
    return renderWithPins(pins);
  } catch (error) {
    if (error instanceof ReleaseError || !(error instanceof Error)) throw error;
    throw new ReleaseError(`the charts cannot be rendered, so nothing can be released:\n${error.message}`);
  }
}

/**
 * Pins `image` to `tag` in the repository at `root` and regenerates `infra/`, all or nothing. The release
 * file is checked first, exactly as synth checks it, so a broken file is refused with its rule and fix.
 */
export function releaseImage(root: string, image: string, tag: string): PinReleaseResult {
  loadPinnedImages(root);
  return applyPinRelease(image, tag, {
    root,
    pinsFile: IMAGE_PINS_FILE,
    outputDir: INFRA_DIR,
    ownedDirs: SYNTH_OWNED_DIRS,
    rules: releaseRules,
    render: renderForRelease,
  });
}
