import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ReleaseError, decideRelease, gitIn, publishRelease, readPins, shaTagOf } from '../lib';
import { RELEASE_PATHS } from '../charts/release';
import { repository, shaTagLength } from '../charts/config';
import { IMAGE_PINS_FILE } from '../charts/paths';

const USAGE = 'usage: npm run release:publish -- <image> <full commit id>';

/**
 * CI only: commits the release of the image built from <commit> on top of the production branch and
 * pushes it, retrying on a push race. Prints the pushed commit id on stdout.
 * 0: pushed (or already on the branch); 1: refused or failed; 2: bad usage.
 */
function main(args: readonly string[]): number {
  if (args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const [image, commit] = args;
  const root = process.cwd();
  try {
    const tag = shaTagOf(commit, shaTagLength);
    const git = gitIn(root);
    const result = publishRelease({
      git,
      branch: repository.productionBranch,
      message: `release: ${image} ${tag}\n\nPins ${image} to the image built from ${commit}.\nWritten by npm run release:publish.`,
      allowedPaths: RELEASE_PATHS,
      requiredPath: IMAGE_PINS_FILE,
      decide: () => decideRelease({ git, pins: readPins(join(root, IMAGE_PINS_FILE)), image, commit, tag }),
      bump: () => {
        // A fresh process: the reset may have brought new chart code.
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
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
