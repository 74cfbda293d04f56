import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/tools';
import { resolveArgocdCrdsDir } from '../../helpers/argocd';

const ARGOCD_DIR = join(REPO_ROOT, 'tools', 'argocd');
const BINARY_DIR = join(ARGOCD_DIR, 'binary');
const MODULE = 'github.com/argoproj/argo-cd/v3';
const ENGINE = 'github.com/argoproj/argo-cd/gitops-engine';

/** `old => new` of every replace directive of a go.mod, one-line or in a `replace ( … )` block. */
function replacesOf(goMod: string): Map<string, string> {
  const lines: string[] = [];
  let inBlock = false;
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === 'replace (') inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else if (inBlock && line !== '') lines.push(line);
    else if (line.startsWith('replace ')) lines.push(line.slice('replace '.length));
  }
  return new Map(
    lines.map((line) => {
      const [from, to] = line.split('=>').map((side) => side.trim().replace(/\s+/g, ' '));
      return [from ?? line, to ?? ''];
    }),
  );
}

const requiredVersion = (goMod: string, module: string): string | undefined =>
  new RegExp(`^(?:require\\s+|\\s+)${module.replace(/[./]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod)?.[1];

/** ArgoCD's own go.mod, from the module zip that tools/argocd/go.sum pins (via tools/argocd/crds.sh). */
function upstreamGoMod(): string {
  const env = { ...process.env };
  delete env.ARGOCD_CRDS_DIR;
  return readFileSync(join(resolveArgocdCrdsDir(env), '..', '..', 'go.mod'), 'utf8');
}

const committed = (): string => readFileSync(join(BINARY_DIR, 'go.mod'), 'utf8');

describe('the module tools/argocd/build.sh builds ArgoCD from', () => {
  test('builds the release the CRDs are pinned to, with the go line that release asks for', () => {
    // given
    const crdPin = readFileSync(join(ARGOCD_DIR, 'go.mod'), 'utf8');
    // then
    expect(requiredVersion(committed(), MODULE)).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(requiredVersion(committed(), MODULE)).toBe(requiredVersion(crdPin, MODULE));
    expect(/^go (\S+)$/m.exec(committed())?.[1]).toBe(/^go (\S+)$/m.exec(upstreamGoMod())?.[1]);
    expect(committed()).toMatch(new RegExp(`^tool ${MODULE.replace(/[./]/g, '\\$&')}/cmd$`, 'm'));
  });

  test('pins the gitops-engine fetch to a full commit id of the same release tag', () => {
    // given: `<tag> <commit>`, the line tools/argocd/gitops-engine-dir.sh fetches when no copy is given
    const [line] = readFileSync(join(ARGOCD_DIR, 'gitops-engine.commit'), 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '' && !text.startsWith('#'));
    const [tag, commit] = line.split(/\s+/);
    // then
    expect(tag).toBe(requiredVersion(committed(), MODULE));
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
  });

  test("repeats ArgoCD's replace directives exactly, except its local ./gitops-engine", () => {
    // given
    const upstream = replacesOf(upstreamGoMod());
    // when
    const ours = replacesOf(committed());
    // then
    expect(upstream.get(ENGINE)).toBe('./gitops-engine');
    const expected = new Map([...upstream].filter(([from]) => from !== ENGINE));
    expect(expected.size).toBeGreaterThan(30);
    expect(ours).toEqual(expected);
  });

  test('names no local folder: gitops-engine is required, and its path is added only at build time', () => {
    // then
    expect(requiredVersion(committed(), ENGINE)).toMatch(/^v\d/);
    expect([...replacesOf(committed()).values()].filter((to) => /^(\.|\/)/.test(to))).toEqual([]);
  });

  test('refuses to build without the gitops-engine folder, naming the variable and where to get it', () => {
    // given
    const bin = mkdtempSync(join(tmpdir(), 'argocd-bin-'));
    const missing = join(bin, 'no-such-gitops-engine');
    try {
      // when
      const run = spawnSync('bash', [join(ARGOCD_DIR, 'build.sh')], {
        env: { ...process.env, TOOLS_BIN: bin, ARGOCD_GITOPS_ENGINE_DIR: missing },
        encoding: 'utf8',
      });
      // then
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`ARGOCD_GITOPS_ENGINE_DIR=${missing} does not exist`);
      expect(run.stderr).toMatch(
        /gitops-engine\/ folder of tag v\d+\.\d+\.\d+ of https:\/\/github\.com\/argoproj\/argo-cd/,
      );
      expect(readdirSync(bin)).toEqual([]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
