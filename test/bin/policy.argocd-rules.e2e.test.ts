// The ArgoCD rules in `npm run policy`, end to end (the rules themselves are tested in-process in
// test/lib/policy/argocd-application-rules.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { badApplication } from '../helpers/bad-application';
import { REPO_ROOT } from '../helpers/tools';

describe('the ArgoCD rules where they run', () => {
  test('fails: `npm run policy` exits 1 on a file with such an Application', () => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'argocd-policy-'));
    try {
      writeFileSync(join(dir, 'app.yaml'), stringify(badApplication()));
      // when
      const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/policy.ts', dir], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      // then
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/\[ARGO001\] Application argocd\/robson-backend-prod \(.*app\.yaml:1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
