import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/tools';
import { argocdCrdsDir, resolveArgocdCrdsDir } from '../../helpers/argocd';

const PIN_DIR = join(REPO_ROOT, 'tools', 'argocd');
const MODULE = 'github.com/argoproj/argo-cd/v3';
/** The release the docs, the cluster suite and the ArgoCD objects are written against. */
const VERSION = 'v3.5.1';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `tools/argocd/crds.sha256` (written by `tools/argocd/update.sh`): file name → sha256. */
function pinnedHashes(): Map<string, string> {
  const lines = readFileSync(join(PIN_DIR, 'crds.sha256'), 'utf8').trim().split('\n');
  return new Map(lines.map((line) => line.split(/\s+/).reverse() as [string, string]));
}

function hashesOf(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((file) => [
        file,
        createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex'),
      ]),
  );
}

/** This process's environment without the override: the default source. */
function defaultEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ARGOCD_CRDS_DIR;
  return env;
}

/** A copy of `tools/argocd/` (go.mod, go.sum, crds.sh) with `goSum` as its go.sum. */
function pinCopy(goSum: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'argocd-pin-'));
  for (const file of ['go.mod', 'crds.sh']) copyFileSync(join(PIN_DIR, file), join(dir, file));
  writeFileSync(join(dir, 'go.sum'), goSum);
  return dir;
}

describe('ArgoCD CRDs', () => {
  test(`are pinned to ${VERSION} by tools/argocd/go.mod and the hashes of tools/argocd/go.sum`, () => {
    // when
    const goMod = readFileSync(join(PIN_DIR, 'go.mod'), 'utf8');
    const goSum = readFileSync(join(PIN_DIR, 'go.sum'), 'utf8');
    // then
    expect(goMod).toMatch(new RegExp(`^require ${escape(`${MODULE} ${VERSION}`)}$`, 'm'));
    expect(goSum).toMatch(new RegExp(`^${escape(`${MODULE} ${VERSION}`)} h1:[A-Za-z0-9+/]{43}=$`, 'm'));
    expect(goSum).toMatch(
      new RegExp(`^${escape(`${MODULE} ${VERSION}/go.mod`)} h1:[A-Za-z0-9+/]{43}=$`, 'm'),
    );
  });

  test('come by default from the pinned Go module in the module cache, not from a folder beside the clone', () => {
    // given
    const gomodcache = spawnSync('go', ['env', 'GOMODCACHE'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` },
    }).stdout.trim();
    // when
    const dir = resolveArgocdCrdsDir(defaultEnv());
    // then
    expect(dir).toBe(join(gomodcache, `${MODULE}@${VERSION}`, 'manifests', 'crds'));
    expect(hashesOf(dir)).toEqual(pinnedHashes());
  });

  test(`that the tests read are ${VERSION}'s, file for file (an ARGOCD_CRDS_DIR override included)`, () => {
    // when
    const hashes = hashesOf(argocdCrdsDir());
    // then
    expect([...pinnedHashes().keys()]).toEqual(
      expect.arrayContaining(['application-crd.yaml', 'applicationset-crd.yaml', 'appproject-crd.yaml']),
    );
    expect(hashes).toEqual(pinnedHashes());
  });

  test('fails when the module does not match the hash in go.sum, naming go.sum', () => {
    // given
    const good = readFileSync(join(PIN_DIR, 'go.sum'), 'utf8');
    const tampered = good.replace(/^(\S+ v\S+) h1:./m, (_, head: string) => `${head} h1:X`);
    const dir = pinCopy(tampered);
    try {
      // then
      expect(() => resolveArgocdCrdsDir(defaultEnv(), join(dir, 'crds.sh'))).toThrow(
        /checksum mismatch[\s\S]*does not match .*go\.sum/,
      );
      expect(readFileSync(join(dir, 'go.sum'), 'utf8')).toBe(tampered);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails when go.sum holds no hash for the pin, and writes none (never trusted on first use)', () => {
    // given
    const dir = pinCopy('');
    try {
      // then
      expect(() => resolveArgocdCrdsDir(defaultEnv(), join(dir, 'crds.sh'))).toThrow(
        `go.sum holds no hash for ${MODULE} ${VERSION}: run tools/argocd/update.sh ${VERSION} and commit go.sum`,
      );
      expect(readFileSync(join(dir, 'go.sum'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails on an ARGOCD_CRDS_DIR without CRDs, naming the variable and the fix', () => {
    // given
    const empty = mkdtempSync(join(tmpdir(), 'argocd-crds-'));
    try {
      // then
      expect(() => resolveArgocdCrdsDir({ ...process.env, ARGOCD_CRDS_DIR: empty })).toThrow(
        `ARGOCD_CRDS_DIR=${empty} holds no application-crd.yaml: point it at manifests/crds/ of the ArgoCD release`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
