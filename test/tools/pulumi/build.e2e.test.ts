import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/tools';

// The modules tools/pulumi/build.sh builds the Pulumi CLI and the Kubernetes provider from, against
// the SDK versions in package.json and against upstream's own go.mod files (from the module cache,
// fetched once and checked against the committed go.sum by the go command).

const TOOLS = join(REPO_ROOT, 'tools', 'pulumi');
const CLI_MODULE = 'github.com/pulumi/pulumi/pkg/v3';
const PROVIDER_MODULE = 'github.com/pulumi/pulumi-kubernetes/provider/v4';

const read = (path: string): string => readFileSync(join(TOOLS, path), 'utf8');
const dependencies = (): Record<string, string> =>
  (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies;

/** The version a go.mod requires of `module`, one-line or in a block. */
const requiredVersion = (goMod: string, module: string): string | undefined =>
  new RegExp(`^(?:require\\s+|\\s+)${module.replace(/[./]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod)?.[1];

/** Every one-line `replace a => b v` of a go.mod, as `a => b v`. */
const replacesOf = (goMod: string): string[] =>
  [...goMod.matchAll(/^replace (\S+) => (.+)$/gm)].map((m) => `${m[1]} => ${m[2].trim()}`).sort();

/** Upstream's go.mod of `module@version`, from the module cache (the go command fetches the file once). */
function upstreamGoMod(moduleDir: string, module: string, version: string): string {
  const run = spawnSync('go', ['list', '-m', '-json', `${module}@${version}`], {
    cwd: join(TOOLS, moduleDir),
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${process.env.PATH ?? ''}:/usr/local/go/bin`,
      GOFLAGS: '-mod=readonly',
      GOWORK: 'off',
    },
  });
  if (run.status !== 0)
    throw new Error(`go list -m ${module}@${version} failed:\n${run.stderr}${run.stdout}`);
  return readFileSync((JSON.parse(run.stdout) as { GoMod: string }).GoMod, 'utf8');
}

/** `<key> <rest>` lines of provider.pin, comments skipped. */
function pin(): Map<string, string> {
  return new Map(
    read('kubernetes/provider.pin')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#') && !line.startsWith('sha256 '))
      .map((line) => {
        const [key, ...rest] = line.split(' ');
        return [key, rest.join(' ')];
      }),
  );
}

describe('the Pulumi CLI module (tools/pulumi/cli)', () => {
  test('builds the CLI at exactly the version of @pulumi/pulumi in package.json, and its SDK at the same', () => {
    // given
    const sdk = dependencies()['@pulumi/pulumi'];
    const goMod = read('cli/go.mod');
    // then
    expect(sdk).toMatch(/^\d+\.\d+\.\d+$/);
    expect(requiredVersion(goMod, CLI_MODULE)).toBe(`v${sdk}`);
    expect(requiredVersion(goMod, 'github.com/pulumi/pulumi/sdk/v3')).toBe(`v${sdk}`);
    expect(goMod).toMatch(/^tool github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi$/m);
  });

  test("repeats upstream's replace directives except its local ../sdk (github.com/atotto/clipboard)", () => {
    // given
    const upstream = upstreamGoMod('cli', CLI_MODULE, `v${dependencies()['@pulumi/pulumi']}`);
    // when
    const expected = replacesOf(upstream).filter((line) => !line.endsWith('=> ../sdk'));
    // then
    expect(replacesOf(upstream)).toContain('github.com/pulumi/pulumi/sdk/v3 => ../sdk');
    expect(expected.some((line) => line.startsWith('github.com/atotto/clipboard => '))).toBe(true);
    expect(replacesOf(read('cli/go.mod'))).toEqual(expected);
  });
});

describe('the Kubernetes provider module (tools/pulumi/kubernetes)', () => {
  test('reports the version of @pulumi/kubernetes in package.json', () => {
    expect(pin().get('version')).toBe(dependencies()['@pulumi/kubernetes']);
  });

  test('provider.pin records exactly the code go.mod requires: the pseudo-version, its commit and time', () => {
    // given
    const pseudo = requiredVersion(read('kubernetes/go.mod'), PROVIDER_MODULE) ?? '';
    const [, stamp, commit] = /^v\d+\.\d+\.\d+-(\d{14})-([0-9a-f]{12})$/.exec(pseudo) ?? [];
    // then
    expect(pin().get('module')).toBe(`${PROVIDER_MODULE} ${pseudo}`);
    const time = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`;
    expect(pin().get('commit')).toBe(`${commit} ${time}`);
  });

  test("requires upstream's SDK version instead of its local ../sdk, and repeats its other replaces", () => {
    // given
    const goMod = read('kubernetes/go.mod');
    const upstream = upstreamGoMod(
      'kubernetes',
      PROVIDER_MODULE,
      requiredVersion(goMod, PROVIDER_MODULE) ?? '',
    );
    // then
    expect(replacesOf(upstream)).toContain('github.com/pulumi/pulumi-kubernetes/sdk/v4 => ../sdk');
    expect(replacesOf(goMod)).toEqual(replacesOf(upstream).filter((line) => !line.endsWith('=> ../sdk')));
    expect(requiredVersion(goMod, 'github.com/pulumi/pulumi-kubernetes/sdk/v4')).toBe(
      requiredVersion(upstream, 'github.com/pulumi/pulumi-kubernetes/sdk/v4'),
    );
  });

  test('records a sha256 for the two schema files of the zip and the two embed files made from them', () => {
    const sums = read('kubernetes/provider.pin')
      .split('\n')
      .filter((line) => line.startsWith('sha256 '))
      .map((line) => line.split(' ').slice(1));
    expect(sums.map(([file]) => file)).toEqual([
      'schema.json',
      'terraform-mapping.json',
      'schema-embed.json',
      'terraform-mapping-embed.json',
    ]);
    for (const [, sum] of sums) expect(sum).toMatch(/^[0-9a-f]{64}$/);
  });
});
