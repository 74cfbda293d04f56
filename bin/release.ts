import { CommandSpec, ReleaseError, formatTreeChanges, runCommand } from '../lib';
import { shaTagLength } from '../charts/config';
import { imageRepositories } from '../charts/images';
import { IMAGE_PINS_FILE, INFRA_DIR } from '../charts/paths';

const SPEC: CommandSpec = {
  name: 'release',
  description:
    `The only way a pin changes: pins <image> to <tag> in ${IMAGE_PINS_FILE} and regenerates ${INFRA_DIR}/, ` +
    `all or nothing. Refuses a tag that is not CI's, an image older than the current pin, and a ${INFRA_DIR}/ ` +
    'that differs from what the code generates; then nothing is modified.',
  arguments: [
    { name: 'image', description: `a catalog image: ${Object.keys(imageRepositories).join(', ')}` },
    { name: 'tag', description: `"sha-" followed by the first ${shaTagLength} hex digits of the commit` },
  ],
  exitStatus: { 0: 'released', 1: 'refused or failed, nothing modified', 2: 'bad usage' },
  examples: ['npm run release -- backend sha-0a1b2c3'],
};

runCommand(SPEC, async ({ args: [image, tag] }) => {
  try {
    // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
    const { releaseImage } = await import('../charts/release');
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
});
