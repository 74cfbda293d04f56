import { ImageSource } from '../image/image-source';
import { ReleaseError } from '../image/release-error';
import { isCommitId } from '../image/sha-tag';

/** One image the release workflow builds (or finds built) and pins: one leg of its matrix. */
export interface PlannedRelease {
  /** Logical image name of the catalog. */
  readonly image: string;
  /** Full id of the commit the image is built from (in this repository, or in its own). */
  readonly commit: string;
  /** Docker build context relative to the repository root; empty when another repository builds the image. */
  readonly context: string;
}

/** Catalog image name → where its source lives. */
export type ImageSources = Readonly<Record<string, ImageSource>>;

/** The commit id a push event reports as `before` when the branch did not exist. */
const NO_COMMIT = /^0+$/;

const plan = (image: string, source: ImageSource, commit: string): PlannedRelease => ({
  image,
  commit,
  context: source.buildContext ?? '',
});

function requireCommit(commit: string, what: string): void {
  if (!isCommitId(commit)) {
    throw new ReleaseError(`${what} "${commit}" is not a full commit id (40 or 64 lowercase hex digits)`);
  }
}

/**
 * A push to the production branch that moved it to `after`: every image built from a folder of this
 * repository that one of `changedFiles` lies in, built from `after`, in catalog order. Images of other
 * repositories are never released by a push here (their own repository dispatches them).
 */
export function planPushRelease(
  sources: ImageSources,
  changedFiles: readonly string[],
  after: string,
): PlannedRelease[] {
  requireCommit(after, 'the pushed commit');
  return Object.entries(sources)
    .filter(([, source]) => {
      const folder = source.buildContext;
      return folder !== undefined && changedFiles.some((file) => file.startsWith(`${folder}/`));
    })
    .map(([image, source]) => plan(image, source, after));
}

/** True when a push's `before` names no commit: the branch was created, so every folder counts as changed. */
export function isBranchCreation(before: string): boolean {
  return NO_COMMIT.test(before);
}

/**
 * A dispatch asking for the release of `image` built from `commit` of the repository holding its
 * source. Only images whose source is another repository are dispatched: an image built here is
 * released by the push that changes its folder, so that nothing but the production branch is ever built
 * and pushed to the registry.
 */
export function planDispatchRelease(sources: ImageSources, image: string, commit: string): PlannedRelease[] {
  const source = Object.prototype.hasOwnProperty.call(sources, image) ? sources[image] : undefined;
  if (source === undefined) {
    throw new ReleaseError(
      `unknown image "${image}": the catalog has ${Object.keys(sources)
        .map((name) => `"${name}"`)
        .join(', ')}`,
    );
  }
  if (source.builtHere) {
    throw new ReleaseError(
      `image "${image}" is built from ${source} of this repository: a push to the production branch that ` +
        'changes that folder releases it, a dispatch cannot',
    );
  }
  requireCommit(commit, `the commit of ${source}`);
  return [plan(image, source, commit)];
}
