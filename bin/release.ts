import { ReleaseError, formatTreeChanges } from '../lib';
import { releaseImage } from '../charts/release';
import { IMAGE_PINS_FILE, INFRA_DIR } from '../charts/paths';

const USAGE = 'usage: npm run release -- <image> <tag>   e.g. npm run release -- backend sha-0a1b2c3';

/** 0: released; 1: refused or failed, nothing modified; 2: bad usage. */
function main(args: readonly string[]): number {
  if (args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const [image, tag] = args;
  try {
    const { bump, changes } = releaseImage(process.cwd(), image, tag);
    console.log(`release: ${image} ${bump.previousTag} -> ${bump.tag} in ${IMAGE_PINS_FILE}`);
    console.log('generated files changed:');
    for (const line of formatTreeChanges(changes, `${INFRA_DIR}/`)) console.log(`  ${line}`);
    return 0;
  } catch (error) {
    const reason = error instanceof ReleaseError ? error.message : `unexpected error: ${String(error)}`;
    console.error(`release failed; nothing was modified.\n${reason}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
