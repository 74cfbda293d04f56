import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainApplication } from './support/application';
import { SyncResultWatch } from './support/application-watch';
import { gitopsEnv } from './support/gitops-env';
import { PRODUCTION_APP, live, productionConverged } from './support/production';
import { timed, waitUntil } from './support/wait-until';
import { WorkClone } from './support/work-clone';

const FILE = 'resources/poddisruptionbudget-backend.yaml';

// A file removed from Git on main is deleted from the cluster (prune: true), and PruneLast=true puts
// the deletion after every other object of the sync.
describe('prune', () => {
  const env = gitopsEnv();
  const timeout = (env.reconciliationSeconds * 2 + 60) * 1000;
  let clone: WorkClone;

  beforeAll(() => {
    clone = new WorkClone();
  });

  it(`an object removed from Git on main disappears, after everything else (PruneLast)`, async () => {
    expect(live('poddisruptionbudget', 'backend')).toBeDefined();
    const kustomization = join(clone.dir, 'infra/k8s/backend/overlays/prod/kustomization.yaml');
    const before = readFileSync(kustomization, 'utf8');
    expect(before).toContain(`- ${FILE}`);
    writeFileSync(kustomization, before.replace(`  - ${FILE}\n`, ''));
    const watch = new SyncResultWatch(PRODUCTION_APP);
    const commit = clone.commitAndPush(`gitops suite: remove ${FILE}`);

    await timed('removed from Git -> pruned', async () => {
      await productionConverged(timeout, commit);
      await waitUntil(
        'the PodDisruptionBudget deleted',
        () => (live('poddisruptionbudget', 'backend') ? undefined : true),
        timeout,
        () => explainApplication(PRODUCTION_APP),
      );
    });

    const isPruned = (r: { kind: string; message?: string }): boolean =>
      r.kind === 'PodDisruptionBudget' && r.message === 'pruned';
    const resources = await waitUntil(
      'the prune in an operation result',
      () => watch.find(isPruned),
      timeout,
    );
    watch.stop();
    const pruned = resources.findIndex(isPruned);
    process.stdout.write(
      `[gitops] sync order: ${resources.map((r) => `${r.kind}/${r.name}${isPruned(r) ? ' (pruned)' : ''}`).join(', ')}\n`,
    );
    expect(pruned).toBeGreaterThanOrEqual(0);
    expect(resources.length).toBeGreaterThan(1);
    expect(pruned).toBe(resources.length - 1);
  });

  afterAll(async () => {
    // Back to what main had: the next files start from the generated objects.
    clone.git('revert', '--no-edit', 'HEAD');
    clone.git('push', '-q', 'origin', 'HEAD:refs/heads/main');
    await productionConverged(timeout, clone.head());
    await waitUntil(
      'the PodDisruptionBudget back',
      () => (live('poddisruptionbudget', 'backend') ? true : undefined),
      timeout,
    );
  });
});
