import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IMAGE_PINS_FILE } from '../../charts/paths';
import { commitAll, initRepo } from '../helpers/git-repo';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { toolPath } from '../helpers/tools';
import { loadPinnedImages } from '../../charts/images';
import { anotherTag } from '../helpers/another-tag';

/**
 * Every file of the repository at `root` but git's own, node_modules and .tools/ (the git-ignored cache
 * of the commands' bundles): what a failed command must not touch.
 */
function treeOf(root: string, dir = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (path === '.git' || path === 'node_modules' || path === '.tools') return [];
      if (entry.isDirectory()) return Object.entries(treeOf(root, path));
      return [[path, readFileSync(join(root, path)).toString('base64')]];
    }),
  );
}

const COMMANDS: [string, string[]][] = [
  ['synth', ['bin/synth.ts']],
  ['release', ['bin/release.ts', 'backend', anotherTag(loadPinnedImages().backend.tag)]],
  ['diff', ['bin/diff.ts']],
];

/** A bad input: the file, its bad content (from the good one), and what the error must say. */
type BadInput = [what: string, file: string, edit: (good: string) => string, message: RegExp];

const SERVICES = 'charts/services.ts';

const BAD_INPUTS: BadInput[] = [
  [
    'a pin file that is not valid JSON',
    IMAGE_PINS_FILE,
    (good) => good.replace(/"\s*\n\}/, '",\n}'),
    /\[PIN001\] charts\/image-pins\.json: not valid JSON \(.+\)\. Fix: restore it from the production branch \(git checkout origin\/main -- charts\/image-pins\.json\)/,
  ],
  [
    'a dev pin',
    IMAGE_PINS_FILE,
    () => '{\n  "backend": "dev"\n}\n',
    /\[IMG002\] charts\/image-pins\.json: image "backend" has pin "dev": tag "dev" is not a sha tag; expected "sha-" followed by exactly 7 lowercase hex digits.*\. Fix: restore it/,
  ],
  [
    'an 8-hex pin',
    IMAGE_PINS_FILE,
    () => '{\n  "backend": "sha-0a1b2c3d"\n}\n',
    /\[IMG002\] charts\/image-pins\.json: image "backend" has pin "sha-0a1b2c3d": tag "sha-0a1b2c3d" has 8 hex digits; expected "sha-" followed by exactly 7/,
  ],
  [
    'a pin for an unknown image',
    IMAGE_PINS_FILE,
    (good) => good.replace(/\n\}/, ',\n  "frontend": "sha-0a1b2c3"\n}'),
    /\[PIN002\] charts\/image-pins\.json: pin for image "frontend", which the catalog does not declare \(it has "backend"\)\. Fix: declare "frontend" in services in charts\/services\.ts in the same pull request, or remove its pin/,
  ],
  [
    'a workload with no memory limit',
    SERVICES,
    (good) => good.replace(/\n\s*memoryLimit: Size\.gibibytes\(1\),/, ''),
    /\[RES001\] service "backend", settings "prod" \(charts\/services\.ts\): resources have no memoryLimit\. Fix: give every container all four of cpuRequest and cpuLimit/,
  ],
];

// One copy of the repository for every bad input (each command's bundle is built there once per state
// of the sources, not once per input): each input is written before its tests and undone after them.
let root: string;
beforeAll(() => {
  // given: a repository whose last commit is good (diff's base)
  root = initRepo(copyRepo());
  writeFileSync(join(root, '.git', 'info', 'exclude'), 'node_modules\n');
  commitAll(root, 'good');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(BAD_INPUTS)('%s', (_what, file, edit, message) => {
  let good: string;
  let before: Record<string, string>;
  beforeAll(() => {
    // given: the bad file in the working tree
    good = readFileSync(join(root, file), 'utf8');
    writeFileSync(join(root, file), edit(good));
    before = treeOf(root);
  });
  afterAll(() => writeFileSync(join(root, file), good));

  test('the edit really breaks the file', () => {
    // then
    expect(readFileSync(join(root, file), 'utf8')).not.toBe(good);
  });

  test.each(COMMANDS)(
    'fails: npm run %s exits 1 with the rule, file, image and fix, writes nothing',
    (_name, argv) => {
      // when
      const [script, ...args] = argv;
      const result = runTs(root, script, args, { TOOLS_BIN: dirname(toolPath('kustomize')) });
      // then
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).not.toMatch(/unexpected error/);
      expect(result.status).toBe(1);
      expect(treeOf(root)).toEqual(before);
    },
  );
});
