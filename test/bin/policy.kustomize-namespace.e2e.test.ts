// META001 and kustomize bases in `npm run policy`, end to end (the rule is tested in-process in
// test/lib/policy/load-manifests.kustomize-namespace.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BASE, kustomization } from '../helpers/kustomize-base';
import { runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

describe('META001 and kustomize bases: a base names no namespace when every overlay using it sets one', () => {
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
