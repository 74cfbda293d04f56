import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { evaluatePolicy, readManifests } from '../../../lib';
import { EXPLICIT_NAMESPACE } from '../../../lib/policy/metadata-rules';
import { BASE, CONFIG_MAP, kustomization } from '../../helpers/kustomize-base';

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
});
