import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { application } from './support/application';
import { gitopsEnv } from './support/gitops-env';
import { DEPLOYMENT, LiveDeployment, PRODUCTION_APP, live, productionConverged } from './support/production';
import { timed } from './support/wait-until';
import { WorkClone } from './support/work-clone';

// Production follows main only: a commit on any other branch is never deployed. A negative can only be
// observed for a bounded time: two of ArgoCD's reconciliation periods, with a refresh asked in between.
describe('branches', () => {
  const env = gitopsEnv();

  it('a commit on another branch never reaches the cluster', async () => {
    const clone = new WorkClone();
    const main = clone.head();
    const patch = join(clone.dir, 'infra/k8s/backend/overlays/prod/patches/deployment-backend.yaml');
    writeFileSync(patch, readFileSync(patch, 'utf8').replace(/replicas: \d+/, 'replicas: 5'));
    const other = clone.commitAndPush('gitops suite: a change on a feature branch', 'feature/not-main');
    const replicas = live<LiveDeployment>('deployment', DEPLOYMENT)?.spec.replicas;
    expect(replicas).not.toBe(5);

    const waitMs = env.reconciliationSeconds * 2 * 1000;
    await timed(`watched for ${waitMs / 1000}s (2 reconciliation periods)`, async () => {
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        await productionConverged(waitMs, main);
        expect(application(PRODUCTION_APP)?.status?.sync?.revision).toBe(main);
        expect(live<LiveDeployment>('deployment', DEPLOYMENT)?.spec.replicas).toBe(replicas);
        await new Promise((done) => setTimeout(done, 1000)); // between two observations, not a wait for a state
      }
    });
    expect(application(PRODUCTION_APP)?.status?.sync?.revision).not.toBe(other);
  });
});
