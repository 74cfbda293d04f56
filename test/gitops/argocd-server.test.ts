import { application } from './support/application';
import { argocdApi, mintCiToken } from './support/argocd-server';
import { PRODUCTION_APP } from './support/production';
import { timed } from './support/wait-until';

const IN_CLUSTER = encodeURIComponent('https://kubernetes.default.svc');

// argocd-server's own API, with a token of project production's role `ci` minted through ArgoCD: what the
// release workflow's rollout check may do, and what ArgoCD refuses it. Reads only: it runs beside the
// files that change production.
describe("the ci role's token (project production), minted by argocd-server", () => {
  let token: string;

  beforeAll(async () => {
    token = await timed('ci token minted (argocd login, proj role create-token)', () => mintCiToken());
  });

  it('is who ArgoCD says: proj:production:ci', async () => {
    const info = await argocdApi('GET', '/api/v1/session/userinfo', token);
    expect(info.body).toMatchObject({ loggedIn: true, username: 'proj:production:ci' });
  });

  it('may get the production Application (what release:verify reads)', async () => {
    for (const path of ['', '/resource-tree', '/managed-resources']) {
      const answer = await argocdApi('GET', `/api/v1/applications/${PRODUCTION_APP}${path}`, token);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    }
  });

  it.each([
    ['delete the production Application', 'DELETE', `/api/v1/applications/${PRODUCTION_APP}`],
    [
      'sync an Application of another project (root, project gitops)',
      'POST',
      '/api/v1/applications/root/sync',
    ],
    ['get an Application of another project (root)', 'GET', '/api/v1/applications/root'],
    ['read a cluster’s settings (the in-cluster destination)', 'GET', `/api/v1/clusters/${IN_CLUSTER}`],
    ['read the TLS certificate settings', 'GET', '/api/v1/certificates'],
    ['read the GnuPG key settings', 'GET', '/api/v1/gpgkeys'],
  ])('may not %s: ArgoCD answers 403', async (_what, method, path) => {
    const answer = await argocdApi(method, path, token);
    process.stdout.write(`[gitops] ci ${method} ${path}: ${answer.status} ${answer.body.message ?? ''}\n`);
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/^permission denied/);
  });

  it('sees no repository, cluster or account in the lists (ArgoCD filters them rather than refusing)', async () => {
    for (const path of ['/api/v1/repositories', '/api/v1/clusters']) {
      const answer = await argocdApi('GET', path, token);
      expect({ path, status: answer.status, items: answer.body.items ?? [] }).toEqual({
        path,
        status: 200,
        items: [],
      });
    }
    expect((await argocdApi('GET', '/api/v1/account', token)).body.items ?? []).toEqual([]);
  });

  it('the production Application is still there after the refused delete', () => {
    expect(application(PRODUCTION_APP)).toBeDefined();
  });

  // Stated, not hidden: ArgoCD serves its public UI settings to anyone (no token), and a project role may
  // read its own project. Neither holds a secret; the test fails if either starts to.
  it('TRUTH: /api/v1/settings is public and a project role reads its own project; neither holds a secret', async () => {
    const settings = await argocdApi('GET', '/api/v1/settings');
    const project = await argocdApi('GET', '/api/v1/projects/production', token);
    expect(settings.status).toBe(200);
    expect(project.status).toBe(200);
    expect(JSON.stringify(settings.body)).not.toMatch(/gitops-test-[0-9a-f]{32}|password|secretkey/i);
    expect(JSON.stringify(project.body)).not.toContain(token);
  });
});
