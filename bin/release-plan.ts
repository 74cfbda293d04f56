import {
  CommandSpec,
  PlannedRelease,
  UsageError,
  gitIn,
  isBranchCreation,
  planDispatchRelease,
  planPushRelease,
  runCommand,
} from '../lib';
import { imageSources } from '../charts/images';

const SPEC: CommandSpec = {
  name: 'release:plan',
  invocation: 'npm run --silent release:plan',
  description:
    'Prints, as key=value lines for $GITHUB_OUTPUT, the catalog images one run of the release workflow ' +
    'releases: images=<JSON list of {image, commit, context}> and count=<n>. ' +
    '"push <before> <after>": the push moved the production branch of this checkout from <before> to ' +
    '<after>; every image built from a folder of this repository that the push changed, built from <after>. ' +
    '"dispatch <image> <commit>": the repository holding the source of <image> built it from <commit> ' +
    'and asks for its release.',
  arguments: [
    { name: 'push|dispatch', description: 'what started the workflow' },
    { name: 'before|image', description: 'push: the commit the branch was at; dispatch: a catalog image' },
    {
      name: 'after|commit',
      description: 'push: the pushed commit; dispatch: the full commit id of the build',
    },
  ],
  exitStatus: {
    0: 'printed (possibly no image)',
    1: 'refused: unknown image, image not dispatchable, bad commit id, git failed',
    2: 'bad usage',
  },
  examples: [
    'npm run --silent release:plan -- push "$BEFORE" "$GITHUB_SHA" >>"$GITHUB_OUTPUT"',
    'npm run --silent release:plan -- dispatch backend 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
  ],
};

/** The files a push changed; when it created the branch, every file of it. */
function pushedFiles(before: string, after: string): string[] {
  const git = gitIn(process.cwd());
  const listing = isBranchCreation(before)
    ? git(['ls-tree', '-r', '--name-only', '--end-of-options', after])
    : git(['diff', '--name-only', '--no-renames', '--end-of-options', before, after]);
  return listing.split('\n').filter(Boolean);
}

runCommand(SPEC, ({ args: [mode, first, second] }) => {
  let releases: PlannedRelease[];
  if (mode === 'dispatch') releases = planDispatchRelease(imageSources, first, second);
  else if (mode === 'push') releases = planPushRelease(imageSources, pushedFiles(first, second), second);
  else throw new UsageError(`the first argument is push or dispatch, got "${mode}"`);
  console.log(`images=${JSON.stringify(releases)}`);
  console.log(`count=${releases.length}`);
  const names = releases.map((release) => `${release.image} (${release.commit.slice(0, 12)})`);
  console.error(`release:plan: ${names.length > 0 ? names.join(', ') : 'no catalog image to release'}`);
  return 0;
});
