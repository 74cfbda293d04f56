import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  CommandSpec,
  PublishRefusedError,
  ReleaseError,
  ReleaseWorkflow,
  decideRelease,
  gitIn,
  publishRelease,
  readPins,
  runCommand,
  shaTagOf,
  workflowRefOf,
} from '../lib';
import { repository, shaTagLength } from '../charts/config';
import { ImageName, imageSources } from '../charts/images';
import { IMAGE_PINS_FILE } from '../charts/paths';

/** The only run allowed to publish: `.github/workflows/release.yml` of this repository, on the production branch. */
const RELEASE_WORKFLOW: ReleaseWorkflow = {
  repository: `${repository.owner}/${repository.name}`,
  path: '.github/workflows/release.yml',
  ref: `refs/heads/${repository.productionBranch}`,
};

const SPEC: CommandSpec = {
  name: 'release:publish',
  description:
    `CI only: commits the release of the image built from <full commit id> on top of ${repository.productionBranch} ` +
    'and pushes it, retrying on a push race; prints the pushed commit id on stdout. It refuses to start, ' +
    `changing nothing, anywhere but ${workflowRefOf(RELEASE_WORKFLOW)} in a clean, detached checkout ` +
    'with no local branch: every attempt discards the checkout. To pin an image on your machine, use ' +
    '`npm run release -- <image> <tag>` and a pull request.',
  arguments: [
    { name: 'image', description: 'a catalog image, e.g. backend' },
    { name: 'full commit id', description: 'the 40-hex commit the image was built from' },
  ],
  environment: [
    {
      name: 'GITHUB_ACTIONS',
      value: 'true',
      required: false,
      description: 'set by GitHub Actions; must be "true"',
    },
    {
      name: 'GITHUB_WORKFLOW_REF',
      value: 'ref',
      required: false,
      description: `set by GitHub Actions; must be ${workflowRefOf(RELEASE_WORKFLOW)}`,
    },
  ],
  exitStatus: { 0: 'pushed (or already on the branch)', 1: 'refused or failed', 2: 'bad usage' },
};

runCommand(SPEC, async ({ args: [image, commit] }) => {
  const root = process.cwd();
  try {
    // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
    const { RELEASE_PATHS } = await import('../charts/release');
    const tag = shaTagOf(commit, shaTagLength);
    const git = gitIn(root);
    const result = publishRelease({
      git,
      workflow: RELEASE_WORKFLOW,
      branch: repository.productionBranch,
      message: `release: ${image} ${tag}\n\nPins ${image} to the image built from ${commit}.\nWritten by npm run release:publish.`,
      allowedPaths: RELEASE_PATHS,
      requiredPath: IMAGE_PINS_FILE,
      decide: () =>
        decideRelease({
          git,
          pins: readPins(join(root, IMAGE_PINS_FILE)),
          image,
          commit,
          tag,
          source: imageSources[image as ImageName],
        }),
      bump: () => {
        // A fresh process: the checkout may have brought new chart code.
        const tsx = join(root, 'node_modules', '.bin', 'tsx');
        // Its report goes to stderr: stdout carries only the pushed commit id.
        const run = spawnSync(tsx, ['bin/release.ts', image, tag], { cwd: root, stdio: ['ignore', 2, 2] });
        if (run.status !== 0)
          throw new ReleaseError(`npm run release -- ${image} ${tag} failed (exit ${run.status})`);
      },
    });
    console.log(result.commit);
    return 0;
  } catch (error) {
    console.error(`release:publish failed: ${(error as Error).message}`);
    if (error instanceof PublishRefusedError) {
      console.error(
        'To pin an image on your machine: npm run release -- <image> <tag>, then a pull request.',
      );
    }
    return 1;
  }
});
