import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { evaluatePolicy, readManifests } from '../../lib';
import { EXPLICIT_NAMESPACE } from '../../lib/policy/metadata-rules';
import { runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {}\n';
const kustomization = (lines: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${lines}`;

/** A folder with `files` (path → text), and the META001 findings of the policy on it, by file. */
function meta001In(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'kustomize-namespace-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const { objects } = readManifests([root]);
    return evaluatePolicy(objects, { allowedRegistries: [], shaTagLength: 7, catalog: {} }, [
      EXPLICIT_NAMESPACE,
    ]).map((violation) => (violation.source ?? '').replace(`${root}/`, '').replace(/:\d+$/, ''));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const BASE = {
  'base/kustomization.yaml': kustomization('resources:\n  - settings.yaml\n'),
  'base/settings.yaml': CONFIG_MAP,
};

describe('META001 and kustomize bases: a base names no namespace when every overlay using it sets one', () => {
  test('a base included by an overlay that sets namespace: passes', () => {
    expect(
      meta001In({
        ...BASE,
        'overlays/prod/kustomization.yaml': kustomization('namespace: prod\nresources:\n  - ../../base\n'),
      }),
    ).toEqual([]);
  });

  test('an overlay without namespace: fails, naming the base file', () => {
    expect(
      meta001In({
        ...BASE,
        'overlays/prod/kustomization.yaml': kustomization('resources:\n  - ../../base\n'),
      }),
    ).toEqual(['base/settings.yaml']);
  });

  test('one of two overlays without namespace: fails (that one would apply it into any namespace)', () => {
    expect(
      meta001In({
        ...BASE,
        'overlays/prod/kustomization.yaml': kustomization('namespace: prod\nresources:\n  - ../../base\n'),
        'overlays/dev/kustomization.yaml': kustomization('resources:\n  - ../../base\n'),
      }),
    ).toEqual(['base/settings.yaml']);
  });

  test('a file no kustomization includes, and a base no overlay includes: fail', () => {
    expect(meta001In({ 'loose.yaml': CONFIG_MAP })).toEqual(['loose.yaml']);
    expect(meta001In(BASE)).toEqual(['base/settings.yaml']);
  });

  test('npm run policy judges a base the same way (exit 0 with the overlay, 1 without)', () => {
    const root = mkdtempSync(join(tmpdir(), 'kustomize-namespace-cli-'));
    try {
      for (const [path, text] of Object.entries({
        ...BASE,
        'overlays/prod/kustomization.yaml': kustomization('namespace: prod\nresources:\n  - ../../base\n'),
      })) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      expect(runTs(REPO_ROOT, 'bin/policy.ts', [root]).status).toBe(0);
      expect(runTs(REPO_ROOT, 'bin/policy.ts', [join(root, 'base')]).stdout).toContain(
        '[META001] ConfigMap settings',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
