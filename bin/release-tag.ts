import { shaTagOf } from '../lib';
import { ImageName, imageRepositories, shaTagLength } from '../charts/config';

const USAGE = 'usage: npm run --silent release:tag -- <image> <full commit id>';

/**
 * Prints, as `key=value` lines for `$GITHUB_OUTPUT`, the tag CI gives the build of <commit> and the full
 * image reference to push: the one place the tag's length and the registry are read from.
 * 0: printed; 1: bad commit id; 2: bad usage or unknown image.
 */
function main(args: readonly string[]): number {
  const [image, commit] = args;
  if (args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  if (!(image in imageRepositories)) {
    console.error(
      `release:tag: unknown image "${image}"; the catalog has ${Object.keys(imageRepositories).join(', ')}`,
    );
    return 2;
  }
  try {
    const tag = shaTagOf(commit, shaTagLength);
    console.log(`tag=${tag}`);
    console.log(`reference=${imageRepositories[image as ImageName]}:${tag}`);
    return 0;
  } catch (error) {
    console.error(`release:tag: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
