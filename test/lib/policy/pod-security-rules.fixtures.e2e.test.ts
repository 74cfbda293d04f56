import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeObject, PolicyOptions, RULES, evaluatePolicy, podSpecsOf, readManifestFile } from '../../../lib';
import { POD_SECURITY_RULES } from '../../../lib/policy/pod-security-rules';
import { REPO_ROOT } from '../../helpers/tools';

/*
 * The PSS rules against the fixtures k8s.io/pod-security-admission ships with its checks
 * (test/testdata/<level>/v1.<minor>/{pass,fail}/*.yaml, one Pod each), at the release tools/cluster/go.mod
 * pins. Our rules implement the profile of the newest version only, so only the newest folder of each
 * level is judged: the folders of v1.0 to v1.33 describe older profiles (no drop ALL before v1.22, no
 * Windows exemption before v1.25, fewer safe sysctls before v1.32, no probe host check before v1.34),
 * which the rules are not meant to match. When the pin moves, the newest folder moves with it.
 */

const MODULE = 'k8s.io/pod-security-admission';
const PIN_DIR = join(REPO_ROOT, 'tools', 'cluster');
const GO_ENV = { ...process.env, GOWORK: 'off', PATH: `${process.env.PATH}:/usr/local/go/bin` };

/** The version tools/cluster/go.mod replaces the module with, e.g. `v0.34.4`. */
function pinnedVersion(): string {
  const goMod = readFileSync(join(PIN_DIR, 'go.mod'), 'utf8');
  const found =
    /^\s*k8s\.io\/pod-security-admission\s+=>\s+k8s\.io\/pod-security-admission\s+(v\S+)\s*$/m.exec(goMod);
  if (!found) throw new Error(`tools/cluster/go.mod has no "${MODULE} => ${MODULE} <version>" replace line`);
  return found[1];
}

/** The module's folder in the Go module cache, downloaded (and checked against go.sum) if missing. */
function moduleDir(version: string): string {
  const go = (...args: string[]): string =>
    execFileSync('go', args, { cwd: PIN_DIR, env: GO_ENV, encoding: 'utf8' }).trim();
  const dir = join(go('env', 'GOMODCACHE'), `${MODULE}@${version}`);
  if (!existsSync(dir)) go('mod', 'download', MODULE);
  if (!existsSync(dir)) throw new Error(`go mod download ${MODULE} left no ${dir}`);
  return dir;
}

const VERSION = pinnedVersion();
const TESTDATA = join(moduleDir(VERSION), 'test', 'testdata');

/** The version folders of a level, oldest first: `v1.0` … `v1.34`. */
const versionsOf = (level: string): string[] =>
  readdirSync(join(TESTDATA, level))
    .filter((name) => /^v1\.\d+$/.test(name))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));

const newestOf = (level: string): string => versionsOf(level).slice(-1)[0];

const fixturesIn = (level: string, verdict: 'pass' | 'fail'): string[] =>
  readdirSync(join(TESTDATA, level, newestOf(level), verdict))
    .filter((name) => name.endsWith('.yaml'))
    .sort();

/** Only the PSS findings count; the fixtures' images and missing namespaces break other rules. */
const options: PolicyOptions = { allowedRegistries: ['registry.k8s.io/'], shaTagLength: 7, catalog: {} };
const PSS_IDS: ReadonlySet<string> = new Set(POD_SECURITY_RULES.map((rule) => rule.id));

/** The one object of a fixture file, read as `npm run policy` reads a file. */
function fixture(level: string, verdict: 'pass' | 'fail', name: string): KubeObject {
  const { objects, errors } = readManifestFile(join(TESTDATA, level, newestOf(level), verdict, name));
  expect(errors).toEqual([]);
  expect(objects).toHaveLength(1);
  return objects[0].object;
}

/** The PSS findings of the policy (every rule run, as the CLI runs them), as `<id> <path>: <message>`. */
const pssFindings = (object: KubeObject): string[] =>
  evaluatePolicy([{ object }], options)
    .filter((violation) => PSS_IDS.has(violation.ruleId))
    .map((violation) => `${violation.ruleId} ${(violation.path ?? []).join('.')}: ${violation.message}`);

describe(`${MODULE} ${VERSION}: the fixtures it ships`, () => {
  test('the newest folder of each level is the Kubernetes version of the pinned release', () => {
    // given v0.34.4 → Kubernetes 1.34
    const minor = /^v0\.(\d+)\./.exec(VERSION)?.[1];
    // then
    expect(newestOf('restricted')).toBe(`v1.${minor}`);
    expect(newestOf('baseline')).toBe(`v1.${minor}`);
  });

  test('the PSS rules are the only rules with a PSS id, and no other rule claims to be Pod Security', () => {
    // then
    expect(RULES.filter((rule) => rule.id.startsWith('PSS')).map((rule) => rule.id)).toEqual([...PSS_IDS]);
    expect(
      RULES.filter((rule) => !PSS_IDS.has(rule.id) && /pod security/i.test(`${rule.title} ${rule.fix}`)),
    ).toEqual([]);
  });

  test.each(
    ['restricted', 'baseline'].flatMap((level) => (['pass', 'fail'] as const).map((v) => [level, v])),
  )('%s/%s holds Pods only, and the rules find the pod spec of each', (level, verdict) => {
    const names = fixturesIn(level, verdict as 'pass' | 'fail');
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const object = fixture(level, verdict as 'pass' | 'fail', name);
      expect(`${name}: ${object.kind}`).toBe(`${name}: Pod`);
      expect(podSpecsOf(object).map(({ path }) => path.join('.'))).toEqual(['spec']);
    }
  });
});

describe(`restricted ${newestOf('restricted')}: the PSS rules judge as ${MODULE} ${VERSION} does`, () => {
  test.each(fixturesIn('restricted', 'pass'))('pass/%s gets no PSS finding', (name) => {
    expect(pssFindings(fixture('restricted', 'pass', name))).toEqual([]);
  });

  test.each(fixturesIn('restricted', 'fail'))('fail/%s gets a PSS finding', (name) => {
    expect(pssFindings(fixture('restricted', 'fail', name)).length).toBeGreaterThan(0);
  });
});

/**
 * Baseline's fixtures are its minimal pod (pass/base.yaml: two bare containers) with one control kept or
 * broken. That pod is no restricted pod (no runAsNonRoot, no seccomp…), so every fixture has PSS
 * findings; what counts is what a fixture adds to those of base.yaml.
 */
describe(`baseline ${newestOf('baseline')}: restricted includes it`, () => {
  const baseFindings = (): Set<string> => new Set(pssFindings(fixture('baseline', 'pass', 'base.yaml')));
  const added = (verdict: 'pass' | 'fail', name: string): string[] => {
    const base = baseFindings();
    return pssFindings(fixture('baseline', verdict, name)).filter((finding) => !base.has(finding));
  };

  /**
   * Baseline pass fixtures that restricted refuses all the same, and the findings it adds: restricted
   * lets a container add NET_BIND_SERVICE only, where baseline allows its default set.
   */
  const NARROWED_BY_RESTRICTED: Readonly<Record<string, RegExp>> = {
    'capabilities_baseline0.yaml': /^PSS003 [^:]*: .*adds capabilities (?!.*NET_BIND_SERVICE)[A-Z_, ]+$/,
  };

  test('base.yaml gets only findings of restricted-only controls: runAsNonRoot, privilege escalation, capabilities, seccomp', () => {
    expect([...new Set([...baseFindings()].map((finding) => finding.split(' ')[0]))]).toEqual([
      'PSS001',
      'PSS002',
      'PSS003',
      'PSS004',
    ]);
  });

  test.each(fixturesIn('baseline', 'fail'))('fail/%s gets a PSS finding base.yaml does not', (name) => {
    expect(added('fail', name).length).toBeGreaterThan(0);
  });

  test.each(fixturesIn('baseline', 'pass'))(
    'pass/%s adds no PSS finding to base.yaml’s, but where restricted is narrower',
    (name) => {
      const extra = added('pass', name);
      const narrowed = NARROWED_BY_RESTRICTED[name];
      if (narrowed === undefined) {
        expect(extra).toEqual([]);
      } else {
        expect(extra.length).toBeGreaterThan(0);
        for (const finding of extra) expect(finding).toMatch(narrowed);
      }
    },
  );
});
