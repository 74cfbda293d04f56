import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/tools';
import { scriptsInCommandTable, scriptsMissingFromCommandTable } from './command-table';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** A README whose Commands table names `synth` and `test` only, to leave a script out on purpose. */
const SMALL_README = `# x

## Commands

| command | what it does |
| --- | --- |
| \`npm run synth\` | regenerates infra/ |
| \`npm test\` | the unit group |

Every command prints its usage with \`--help\`.

## Admins

\`npm run release\` is mentioned here, outside the table.
`;

describe('the Commands table of README.md', () => {
  test('has a row for every npm script of package.json', () => {
    // given the README and package.json as committed
    // when
    const missing = scriptsMissingFromCommandTable(scripts, readme);
    // then
    expect(missing).toEqual([]);
  });

  test('reads every script a first cell names, npm test and two in one cell included', () => {
    // given / when
    const named = scriptsInCommandTable(readme);
    // then
    expect([...named]).toEqual(
      expect.arrayContaining(['synth', 'test', 'lint', 'typecheck', 'bench:policy']),
    );
  });

  test('needs no row for a lifecycle hook: npm runs pretest itself, before test', () => {
    // given
    const withHook = { synth: 'node synth', test: 'jest', pretest: 'bash tools/build.sh' };
    // when
    const missing = scriptsMissingFromCommandTable(withHook, SMALL_README);
    // then
    expect(missing).toEqual([]);
  });

  test('fails for a script the table leaves out, naming it, its command and where to add its row', () => {
    // given a script only the prose below the table mentions
    const withRelease = { synth: 'node synth', test: 'jest', release: 'node bin/release' };
    // when
    const missing = scriptsMissingFromCommandTable(withRelease, SMALL_README);
    // then
    expect(missing).toEqual([
      'npm run release (package.json: node bin/release) has no row in the "## Commands" table of README.md: ' +
        'add one, `| `npm run release` | what it does |`, beside the commands it belongs with',
    ]);
  });

  test('fails for a name that only starts like a hook: preview hooks no script "view", it is run by name', () => {
    // given
    const withPreview = { synth: 'node synth', test: 'jest', preview: 'node bin/preview' };
    // when
    const missing = scriptsMissingFromCommandTable(withPreview, SMALL_README);
    // then
    expect(missing).toEqual([
      expect.stringMatching(/^npm run preview \(package\.json: node bin\/preview\) has no row/),
    ]);
  });

  test('fails when the README has no Commands section', () => {
    // given / when / then
    expect(() => scriptsMissingFromCommandTable(scripts, '# x\n\n## Map\n')).toThrow(
      'README.md has no "## Commands" section',
    );
  });
});
