import { CommandSpec, UsageError, runCommand, shaTagOf } from '../lib';
import { shaTagLength } from '../charts/config';
import { ImageName, imageRepositories } from '../charts/images';

const SPEC: CommandSpec = {
  name: 'release:tag',
  invocation: 'npm run --silent release:tag',
  description:
    'Prints, as key=value lines for $GITHUB_OUTPUT, the tag CI gives the build of <full commit id> ' +
    `(tag=sha-<its first ${shaTagLength} hex digits>) and the image reference to push ` +
    '(reference=<repository>:<tag>): the one place the tag length and the registry are read from.',
  arguments: [
    { name: 'image', description: `a catalog image: ${Object.keys(imageRepositories).join(', ')}` },
    { name: 'full commit id', description: 'the 40-hex commit the image is built from' },
  ],
  exitStatus: { 0: 'printed', 1: 'bad commit id', 2: 'bad usage or unknown image' },
  examples: ['npm run --silent release:tag -- backend "$GITHUB_SHA" >>"$GITHUB_OUTPUT"'],
};

runCommand(SPEC, ({ args: [image, commit] }) => {
  if (!Object.prototype.hasOwnProperty.call(imageRepositories, image)) {
    throw new UsageError(
      `unknown image "${image}"; the catalog has ${Object.keys(imageRepositories).join(', ')}`,
    );
  }
  const tag = shaTagOf(commit, shaTagLength);
  console.log(`tag=${tag}`);
  console.log(`reference=${imageRepositories[image as ImageName]}:${tag}`);
  return 0;
});
