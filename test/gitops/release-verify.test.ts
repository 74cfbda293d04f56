import { hasStackTrace, mintCiToken, releaseVerify } from './support/argocd-server';
import { PRODUCTION_APP, liveImage, productionConverged } from './support/production';
import { timed } from './support/wait-until';

// `release:verify` exactly as .github/workflows/release.yml runs it, against the real API server.
describe('release:verify against argocd-server with the ci token', () => {
  let token: string;
  beforeAll(async () => {
    await productionConverged(120000);
    token = mintCiToken();
  });

  it('passes for the release deployed now, at once', async () => {
    const tag = liveImage()?.split(':').pop() ?? '';
    const run = await timed('release:verify of the deployed release', () =>
      releaseVerify('backend', tag, 900, token),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `^verified: ${PRODUCTION_APP} is Synced and Healthy at [0-9a-f]{40}, running ghcr.io/robson/backend:${tag}\\n$`,
      ),
    );
    expect(run.status).toBe(0);
  });

  it('fails with a clear message, exit 1 and no stack trace, for an image that is not deployed', async () => {
    const live = liveImage();
    const run = await releaseVerify('backend', 'sha-0000001', 5, token);
    process.stdout.write(`[gitops] release:verify, wrong image: ${run.stderr.trim().split('\n').pop()}\n`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `release:verify failed: ${PRODUCTION_APP} did not reach Synced + Healthy running ghcr.io/robson/backend:sha-0000001 within 5 s.`,
    );
    expect(run.stderr).toContain(`container "backend" runs ${live}, want tag sha-0000001`);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('fails at once, naming the token, when the token is not one ArgoCD issued', async () => {
    const run = await releaseVerify('backend', 'sha-0000001', 900, 'not-a-token');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/answered 401: .*; check the server address and that the token/);
    expect(run.seconds).toBeLessThan(60);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
