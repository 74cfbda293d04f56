import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/tools';

/**
 * For each bin/ command, a command line with the wrong number of positional arguments. A new command
 * must be added here (the test below fails until it is).
 */
const WRONG_COUNT: Record<string, string[]> = {
  'diff.ts': ['HEAD'],
  'drift.ts': ['production'],
  'policy.ts': [],
  'rbac-export.ts': ['infra'],
  'release.ts': ['backend'],
  'release-plan.ts': ['push'],
  'release-tag.ts': ['backend'],
  'release-publish.ts': ['backend'],
  'release-verify.ts': ['backend'],
  'seal.ts': ['backend'],
  'synth.ts': ['infra'],
};

/** True when the npm script `command` runs bin/`file`: with tsx, or from its bundle (bin/run-bundled.mjs). */
const runsBin = (command: string, file: string): boolean =>
  command === `tsx bin/${file}` || command === `node bin/run-bundled.mjs bin/${file}`;

const scripts = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a bin/ file in `cwd` as its npm script does (from its bundle, bin/run-bundled.mjs), asynchronously,
 * so that several run at once.
 */
function run(cwd: string, file: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'run-bundled.mjs'), `bin/${file}`, ...args],
      { cwd, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('every bin/ command behaves like a command', () => {
  // An empty folder: a command that ignored its arguments would find nothing to change there.
  let cwd: string;
  beforeAll(() => (cwd = mkdtempSync(join(tmpdir(), 'commands-'))));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  test('each command has an npm script and a wrong command line in this table', () => {
    const files = readdirSync(join(REPO_ROOT, 'bin')).filter((file) => file.endsWith('.ts'));
    expect(files.sort()).toEqual(Object.keys(WRONG_COUNT).sort());
    for (const file of files)
      expect(Object.values(scripts).filter((command) => runsBin(command, file))).toHaveLength(1);
  });

  test.each(Object.keys(WRONG_COUNT))(
    '%s: --help prints the usage to stdout (exit 0); an unknown option or a wrong argument count exits 2 with the usage on stderr',
    async (file) => {
      // given
      const script = Object.entries(scripts).find(([, command]) => runsBin(command, file))?.[0];
      // when
      // (-h is the same path in lib/cli for every command: test/lib/cli/ proves it there, in process.)
      const [help, unknown, count] = await Promise.all([
        run(cwd, file, ['--help']),
        run(cwd, file, ['--no-such-option']),
        run(cwd, file, WRONG_COUNT[file]),
      ]);
      // then
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: .*npm run (--silent )?${script}\\s`));
      expect(help.stdout).toContain('-h, --help');
      expect(help.stdout).toContain('exit status: 0 ');
      expect(help.stderr).toBe('');
      for (const wrong of [unknown, count]) {
        expect(wrong.status).toBe(2);
        expect(wrong.stdout).toBe('');
        expect(wrong.stderr).toContain(help.stdout);
      }
      expect(unknown.stderr).toMatch(new RegExp(`^${script}: unknown option --no-such-option`));
      expect(count.stderr).toMatch(new RegExp(`^${script}: (expected .* arguments? \\(|takes no arguments)`));
      expect(readdirSync(cwd)).toEqual([]);
    },
  );
});
