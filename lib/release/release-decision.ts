import { Git, GitError, gitSucceeds } from '../git/git';
import { ImagePins, ReleaseError } from './pin-bump';
import { ReleaseDecision } from './publish-release';

export interface ReleaseDecisionProps {
  /** Git in a checkout of the production branch, with full history. */
  readonly git: Git;
  /** The release file as the branch holds it now. */
  readonly pins: ImagePins;
  readonly image: string;
  /** The full commit id the image was built from. */
  readonly commit: string;
  /** The tag of that build. */
  readonly tag: string;
  /** Progress lines. @default - console.error */
  readonly log?: (line: string) => void;
}

/** The commit a `sha-` tag names, when the repository knows exactly one such commit. */
function commitOfTag(git: Git, tag: string): string | undefined {
  try {
    return git([
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${tag.slice('sha-'.length)}^{commit}`,
    ]).trim();
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/**
 * Whether the checked-out branch needs the release: refuses an image built from a commit that is not on
 * the branch, and one older than the current pin (a re-run of an old workflow would otherwise roll
 * production back; rolling back is a reviewed `git revert`). A pin whose commit this repository does not
 * know (built elsewhere) cannot be ordered and is replaced, with a note in the log.
 */
export function decideRelease(props: ReleaseDecisionProps): ReleaseDecision {
  const { git, image, commit, tag } = props;
  const log = props.log ?? ((line: string) => console.error(line));
  if (!gitSucceeds(git, ['merge-base', '--is-ancestor', commit, 'HEAD'])) {
    throw new ReleaseError(
      `commit ${commit} is not on the production branch: only images built from it are released`,
    );
  }
  const pinned = props.pins[image];
  if (pinned === tag) return ReleaseDecision.ALREADY_RELEASED;
  const pinnedCommit = typeof pinned === 'string' ? commitOfTag(git, pinned) : undefined;
  if (pinnedCommit === undefined) {
    log(`release: the current pin ${String(pinned)} names no commit of this repository; replacing it`);
    return ReleaseDecision.RELEASE;
  }
  if (!gitSucceeds(git, ['merge-base', '--is-ancestor', pinnedCommit, commit])) {
    throw new ReleaseError(
      `refusing to replace ${image} ${pinned} (commit ${pinnedCommit}) with ${tag}: ${commit} does not contain it, ` +
        'so this would roll production back. Roll back with a reviewed git revert of the release commit instead.',
    );
  }
  return ReleaseDecision.RELEASE;
}
