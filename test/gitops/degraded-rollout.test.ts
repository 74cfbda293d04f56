import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { application, explainApplication, refresh } from './support/application';
import { hasStackTrace, mintCiToken, releaseVerify } from './support/argocd-server';
import { slackMessage } from './support/fake-slack-messages';
import { gitopsEnv } from './support/gitops-env';
import { PRODUCTION_APP, liveImage, productionConverged } from './support/production';
import { timed, waitUntil } from './support/wait-until';
import { WorkClone } from './support/work-clone';

const PATCH = 'infra/k8s/backend/overlays/prod/patches/deployment-backend.yaml';
/** Seconds the test's commit gives the rollout (the generated Deployment keeps Kubernetes' 600). */
const DEADLINE = 15;

/** The prod patch with pods no node can take and a short progress deadline: a rollout that cannot finish. */
function stuckRollout(patch: string): string {
  const stuck = patch
    .replace(/^spec:\n/m, `spec:\n  progressDeadlineSeconds: ${DEADLINE}\n`)
    .replace(/^ {4}spec:\n/m, '    spec:\n      nodeSelector:\n        gitops-suite/no-such-node: "true"\n');
  if (stuck === patch || !stuck.includes('nodeSelector')) {
    throw new Error(`test set-up: ${PATCH} no longer has the shape this test edits`);
  }
  return stuck;
}

// A commit to main whose pods cannot be scheduled: release:verify times out while it progresses, the
// Deployment exceeds its progress deadline, ArgoCD reports Degraded, the alert reaches #infra-alerts, and
// release:verify fails naming Degraded. `git revert` ends it.
describe('a rollout that cannot finish', () => {
  const env = gitopsEnv();
  const timeout = (env.reconciliationSeconds * 2 + 90) * 1000;
  let clone: WorkClone;
  let token: string;
  let tag: string;
  let commit: string;
  let pushed: Date;

  beforeAll(async () => {
    await productionConverged(timeout);
    token = mintCiToken();
    tag = liveImage()?.split(':').pop() ?? '';
    clone = new WorkClone();
    const file = join(clone.dir, PATCH);
    writeFileSync(file, stuckRollout(readFileSync(file, 'utf8')));
    pushed = new Date();
    commit = clone.commitAndPush('gitops suite: a rollout no node can take');
    refresh(PRODUCTION_APP);
    await waitUntil(
      `${PRODUCTION_APP} synced to the stuck commit`,
      () => {
        const status = application(PRODUCTION_APP)?.status;
        return status?.sync?.status === 'Synced' && status.sync.revision === commit ? true : undefined;
      },
      timeout,
      () => explainApplication(PRODUCTION_APP),
    );
  });

  afterAll(async () => {
    clone.git('revert', '--no-edit', 'HEAD');
    clone.git('push', '-q', 'origin', 'HEAD:refs/heads/main');
    await productionConverged(timeout, clone.head());
  });

  it('release:verify times out while the rollout progresses: exit 1, a clear message, no stack trace', async () => {
    const run = await releaseVerify('backend', tag, 10, token);
    process.stdout.write(`[gitops] release:verify, timeout: ${run.stderr.trim().split('\n').pop()}\n`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `release:verify failed: ${PRODUCTION_APP} did not reach Synced + Healthy running ghcr.io/robson/backend:${tag} within 10 s.`,
    );
    expect(run.stderr).toMatch(/Last state: .*(health is Progressing|rollout not complete)/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('past its progress deadline ArgoCD says Degraded, and #infra-alerts gets the message with the revision', async () => {
    const message = await timed('stuck commit pushed -> degraded alert received', () =>
      slackMessage(PRODUCTION_APP, /is Degraded/, pushed, timeout, undefined, () =>
        explainApplication(PRODUCTION_APP),
      ),
    );
    process.stdout.write(`[gitops] fake Slack got #${message.channel}: ${message.text}\n`);
    expect(application(PRODUCTION_APP)?.status?.health?.status).toBe('Degraded');
    expect(message.channel).toBe('infra-alerts');
    expect(message.text).toContain(`:red_circle: ${PRODUCTION_APP} is Degraded at revision ${commit}.`);
    expect(message.text).toContain(`https://argocd.robson.example/applications/${PRODUCTION_APP}`);
    const seconds = (new Date(message.at).getTime() - pushed.getTime()) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(DEADLINE);
  });

  it('release:verify on the Degraded app fails naming it: exit 1, no stack trace', async () => {
    const run = await releaseVerify('backend', tag, 5, token);
    process.stdout.write(`[gitops] release:verify, degraded: ${run.stderr.trim().split('\n').pop()}\n`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Last state: .*health is Degraded, want Healthy/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
