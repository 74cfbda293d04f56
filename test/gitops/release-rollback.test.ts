import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { mintCiToken, releaseVerify } from './support/argocd-server';
import { messagesAbout } from './support/fake-slack-messages';
import { gitopsEnv } from './support/gitops-env';
import { PRODUCTION_APP, liveImage, productionConverged } from './support/production';
import { timed, waitUntil } from './support/wait-until';
import { WorkClone } from './support/work-clone';
import { REPO_ROOT } from '../helpers/tools';

// A release is a commit to main made by `npm run release`; a rollback is `git revert` of it. Both are live
// within one sync: a refresh is asked for, as the release workflow's webhook would, and release:verify
// (the workflow's rollout check, against the real argocd-server) passes for the release.
describe('release and rollback', () => {
  const env = gitopsEnv();
  const timeout = (env.reconciliationSeconds * 2 + 60) * 1000;
  const tag = `sha-${randomBytes(4).toString('hex').slice(0, 7)}`;
  let clone: WorkClone;
  let previous: string | undefined;
  let released: Date;

  beforeAll(() => {
    clone = new WorkClone();
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone.dir, 'node_modules'));
    previous = liveImage();
  });

  it(`npm run release -- backend ${tag}, pushed to main, is live within one sync`, async () => {
    execFileSync('npm', ['run', '--silent', 'release', '--', 'backend', tag], {
      cwd: clone.dir,
      stdio: 'pipe',
    });
    released = new Date();
    const commit = clone.commitAndPush(`release: backend ${tag}`);
    // Then what the release workflow runs next: release:verify, with the ci role's token, until live.
    const verified = await timed('release pushed -> release:verify passed', () =>
      releaseVerify('backend', tag, 900, mintCiToken()),
    );
    expect(verified.stdout).toContain(
      `verified: robson-backend-prod is Synced and Healthy at ${commit}, running ghcr.io/robson/backend:${tag}`,
    );
    expect(verified.status).toBe(0);
    await timed('release pushed -> live', async () => {
      await productionConverged(timeout, commit);
      await waitUntil(
        `the Deployment running ${tag}`,
        () => (liveImage()?.endsWith(`:${tag}`) ? true : undefined),
        timeout,
      );
    });
    expect(liveImage()).toBe(`ghcr.io/robson/backend:${tag}`);
  });

  it('git revert of the release commit brings the previous image back', async () => {
    clone.git('revert', '--no-edit', 'HEAD');
    clone.git('push', '-q', 'origin', 'HEAD:refs/heads/main');
    await timed('revert pushed -> previous image live', async () => {
      await productionConverged(timeout, clone.head());
      await waitUntil(
        `the Deployment back on ${previous}`,
        () => (liveImage() === previous ? true : undefined),
        timeout,
      );
    });
    expect(liveImage()).toBe(previous);
  });

  it('two healthy syncs, and #infra-alerts heard nothing about production from the release push until now', () => {
    expect(messagesAbout(PRODUCTION_APP, released)).toEqual([]);
  });
});
