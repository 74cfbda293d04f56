import { Git, GitError, gitSucceeds } from '../git/git';
import { ImageSource } from '../image/image-source';
import { ImagePins } from '../image/image-pins';
import { ReleaseError } from '../image/release-error';
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
  /**
   * Where the image's source lives. For another repository's image the commit is that repository's, so
   * it cannot be checked against this branch's history, nor ordered against the current pin.
   * @default - a folder of this repository: the commit must be on the production branch
   */
  readonly source?: ImageSource;
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
 * An image another repository builds: its commit is that repository's, so it can be neither checked
 * against this branch nor ordered against the pin (its tag could even match an unrelated commit here).
 * What this history does show is every pin ever released: a tag that was pinned before and replaced is
 * an old build (a re-run of an old dispatch), refused like any roll-back.
 */
function decideExternalRelease(props: ReleaseDecisionProps, log: (line: string) => void): ReleaseDecision {
  const { git, image, tag } = props;
  if (props.pins[image] === tag) return ReleaseDecision.ALREADY_RELEASED;
  const earlier = git([
    'log',
    '--format=%H',
    '-S',
    `${JSON.stringify(image)}: ${JSON.stringify(tag)}`,
    'HEAD',
  ])
    .split('\n')
    .filter(Boolean);
  if (earlier.length > 0) {
    throw new ReleaseError(
      `refusing to pin ${image} to ${tag}: it was pinned before (commit ${earlier[earlier.length - 1]}) and ` +
        'replaced since, so this would roll production back. Roll back with a reviewed git revert of the release commit instead.',
    );
  }
  log(
    `release: ${image} is built by ${props.source}; commit ${props.commit} is that repository's, so it is ` +
      `not ordered against the current pin ${String(props.pins[image])} (only a tag pinned before is refused)`,
  );
  return ReleaseDecision.RELEASE;
}

/**
 * Whether the checked-out branch needs the release: refuses an image built from a commit that is not on
 * the branch, and one older than the current pin (a re-run of an old workflow would otherwise roll
 * production back; rolling back is a reviewed `git revert`). A pin whose commit this repository does not
 * know (built elsewhere) cannot be ordered and is replaced, with a note in the log. An image whose source
 * is another repository is released as dispatched (that repository's CI decides what it ships), logged.
 */
export function decideRelease(props: ReleaseDecisionProps): ReleaseDecision {
  const { git, image, commit, tag } = props;
  const log = props.log ?? ((line: string) => console.error(line));
  if (props.source !== undefined && !props.source.builtHere) {
    return decideExternalRelease(props, log);
  }
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
