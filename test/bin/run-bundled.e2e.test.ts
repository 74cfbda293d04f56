import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

/** `npm run policy` as package.json runs it: from the bundle bin/run-bundled.mjs keeps fresh. */
const bundled = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run-bundled.mjs'), 'bin/policy.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
const STAMP = join(REPO_ROOT, '.tools', 'policy.cjs.inputs.json');

/** A tree with findings in many files, two Applications of one name in different files among them. */
function treeWithFindings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bundle-'));
  for (let index = 0; index < 12; index++) {
    mkdirSync(join(dir, `team-${index % 3}`), { recursive: true });
    const name = index % 4 === 0 ? 'same-name' : `app-${index}`;
    writeFileSync(
      join(dir, `team-${index % 3}`, `objects-${index}.yaml`),
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec: {project: default}\n` +
        `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${index}, namespace: production}\n` +
        `spec:\n  hostNetwork: ${index % 2 === 0 ? 'yes' : 'false'}\n  containers: [{name: c, image: nginx}]\n`,
    );
  }
  return dir;
}

describe('npm run policy runs the same code from a bundle, never a stale one (bin/run-bundled.mjs)', () => {
  test('the bundle, split over worker threads, reports exactly what tsx on one thread reports', () => {
    // given
    const dir = treeWithFindings();
    // when
    const single = runTs(REPO_ROOT, 'bin/policy.ts', ['--format', 'json', dir]);
    const threaded = bundled(['--format', 'json', dir], { POLICY_THREADS: '3' });
    // then: same violations in the same order, ARGO008 across the shards included
    expect(threaded.status).toBe(1);
    expect(threaded.stdout).toBe(single.stdout);
    const report = JSON.parse(threaded.stdout) as { violations: { ruleId: string; message: string }[] };
    expect(report.violations.filter((v) => v.ruleId === 'ARGO008').map((v) => v.message)).toEqual([
      '3 Applications are named "same-name"',
      '3 Applications are named "same-name"',
      '3 Applications are named "same-name"',
    ]);
  });

  test('fails with exit 2 on a bad pin file read while worker threads wait for it, and ends', () => {
    // given a copy of the repository whose pin file is no JSON: the workers start before it is read
    const root = copyRepo();
    writeFileSync(join(root, 'charts', 'image-pins.json'), '{ "backend": ');
    expect(runTs(root, 'bin/policy.ts', ['--help']).status).toBe(0); // builds the copy's bundle
    // when
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'run-bundled.mjs'), 'bin/policy.ts', treeWithFindings()],
      { cwd: root, encoding: 'utf8', env: { ...process.env, POLICY_THREADS: '3' }, timeout: 20_000 },
    );
    // then: the error is reported, and no worker left waiting keeps the process alive (killed: status null)
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^policy: \[PIN001\] charts\/image-pins\.json: not valid JSON/);
  });

  test('an input whose content differs from the one the bundle was built from makes it rebuild first', () => {
    // given a bundle, then a stamp saying bin/policy.ts had other content when it was built
    expect(bundled(['--help']).status).toBe(0);
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Record<string, string>;
    writeFileSync(STAMP, JSON.stringify({ ...stamp, 'bin/policy.ts': 'f'.repeat(64) }));
    // when
    const result = bundled(['--help']);
    // then it was rebuilt: the stamp records the file's content again
    const actual = createHash('sha256')
      .update(readFileSync(join(REPO_ROOT, 'bin', 'policy.ts')))
      .digest('hex');
    expect(result.status).toBe(0);
    expect((JSON.parse(readFileSync(STAMP, 'utf8')) as Record<string, string>)['bin/policy.ts']).toBe(actual);
  });

  test('a dependency whose size or modification time differs from the stamp makes it rebuild first', () => {
    // given a copy of the repository (its own .tools/, which no other test's run rewrites meanwhile) and
    // a stamp saying one of the bundled dependencies had another size and time
    const root = copyRepo();
    const stampOf = () =>
      JSON.parse(readFileSync(join(root, '.tools', 'policy.cjs.inputs.json'), 'utf8')) as Record<
        string,
        string
      >;
    expect(runTs(root, 'bin/policy.ts', ['--help']).status).toBe(0);
    const dependency = Object.keys(stampOf()).find((file) =>
      file.includes('node_modules/js-yaml/'),
    ) as string;
    writeFileSync(
      join(root, '.tools', 'policy.cjs.inputs.json'),
      JSON.stringify({ ...stampOf(), [dependency]: '0:0' }),
    );
    // when
    const result = runTs(root, 'bin/policy.ts', ['--help']);
    // then
    const { size, mtimeMs } = statSync(join(root, dependency));
    expect(result.status).toBe(0);
    expect(stampOf()[dependency]).toBe(`${size}:${mtimeMs}`);
  });

  test('the code cache is named by the bundle it was made from, and a damaged one is replaced', () => {
    // given
    expect(bundled(['--help']).status).toBe(0);
    const digest = createHash('sha256')
      .update(readFileSync(join(REPO_ROOT, '.tools', 'policy.cjs')))
      .digest('hex')
      .slice(0, 16);
    const cache = join(REPO_ROOT, '.tools', `policy.cjs.${digest}.v8`);
    expect(existsSync(cache)).toBe(true);
    writeFileSync(cache, 'not a code cache');
    // when
    const result = bundled(['--format', 'json', treeWithFindings()]);
    // then V8 refused it, the command ran as always, and a real cache took its place
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ objects: 24 }));
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
  });

  test('a command that is no bin/*.ts file is refused with exit 2', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'run-bundled.mjs'), 'lib/index.ts'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node bin/run-bundled.mjs bin/<command>.ts');
  });
});
