import { application, explainApplication } from './support/application';
import { gitopsEnv } from './support/gitops-env';
import { kubectl, kubectlApply } from './support/kubectl';
import { timed, waitUntil } from './support/wait-until';
import { repository } from '../../charts/config';

const REPO = repository.url;

/** An Application in project `production`, added by the test (not one of our generated objects). */
const testApplication = (name: string, source: { repoURL: string; path: string }, namespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'production',
    source: { ...source, targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace },
  },
});

// The AppProject `production` is enforced by ArgoCD itself: what it refuses is quoted from its own
// conditions and operation messages.
describe('the AppProject fence (production)', () => {
  const created: string[] = [];
  const create = (object: { metadata: { name: string } }): void => {
    created.push(object.metadata.name);
    kubectlApply(object);
  };

  afterAll(() => {
    for (const name of created)
      kubectl('delete', 'application', '-n', 'argocd', name, '--ignore-not-found', '--wait=false');
  });

  const refusal = async (name: string, pattern: RegExp): Promise<string> => {
    const message = await timed(`${name} refused`, () =>
      waitUntil(
        `ArgoCD refusing ${name} with ${pattern}`,
        () => {
          const status = application(name)?.status;
          const words = [
            ...(status?.conditions ?? []).map((c) => `${c.type}: ${c.message}`),
            status?.operationState?.message ?? '',
          ];
          return words.find((w) => pattern.test(w));
        },
        60000,
        () => explainApplication(name),
      ),
    );
    process.stdout.write(`[gitops] ArgoCD on ${name}: ${message}\n`);
    return message;
  };

  it('another namespace', async () => {
    create(
      testApplication(
        'fence-other-namespace',
        { repoURL: REPO, path: 'infra/k8s/backend/overlays/prod' },
        'default',
      ),
    );
    expect(
      await refusal(
        'fence-other-namespace',
        /InvalidSpecError: .*do not match any of the allowed destinations in project 'production'/,
      ),
    ).toBeTruthy();
  });

  it('another repository', async () => {
    create(
      testApplication(
        'fence-other-repository',
        { repoURL: 'https://github.com/robson/other.git', path: '.' },
        'production',
      ),
    );
    expect(
      await refusal(
        'fence-other-repository',
        /InvalidSpecError: application repo https:\/\/github.com\/robson\/other.git is not permitted in project 'production'/,
      ),
    ).toBeTruthy();
  });

  // As its ServiceAccount (namespaced, no cluster-wide RBAC), ArgoCD refuses a cluster-scoped object
  // before asking the AppProject: "can not be managed when in namespaced mode". As cluster admin
  // (GITOPS_CONTROLLER_AS=admin) the AppProject's own refusal is what stops it. Either way nothing is created.
  const clusterScopedRefusal =
    gitopsEnv().controllerAs === 'admin'
      ? /resource :Namespace is not permitted in project production/
      : /cluster level Namespace "preview" can not be managed when in namespaced mode/;

  it('a cluster-scoped kind (the preview overlay declares a Namespace): the sync is refused', async () => {
    // Not automated: a sync is asked for once, as `argocd app sync` would, and must fail before applying.
    create(
      testApplication('fence-cluster-scoped', { repoURL: REPO, path: 'infra/k8s/preview' }, 'production'),
    );
    await waitUntil(
      'fence-cluster-scoped compared',
      () => application('fence-cluster-scoped')?.status?.sync?.status,
      60000,
    );
    kubectl(
      'patch',
      'application',
      '-n',
      'argocd',
      'fence-cluster-scoped',
      '--type=merge',
      '-p',
      JSON.stringify({
        operation: { initiatedBy: { username: 'gitops-suite' }, sync: { revision: 'main' } },
      }),
    );
    expect(await refusal('fence-cluster-scoped', clusterScopedRefusal)).toBeTruthy();
    expect(kubectl('get', 'namespaces', '-o', 'name')).not.toMatch(/namespace\/preview/);
  });
});
