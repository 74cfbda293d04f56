import { Chart, Testing } from 'cdk8s';
import {
  ArgoCdProject,
  IN_CLUSTER_SERVER,
  ProductionApplication,
  ProductionApplicationProps,
  productionSyncPolicy,
} from '../../../lib';

const REPO = 'https://github.com/acme/infra.git';

function setUp(): { chart: Chart; project: ArgoCdProject } {
  const chart = new Chart(Testing.app(), 'Test');
  const project = new ArgoCdProject(chart, 'Project', {
    name: 'production',
    description: 'production',
    repoURL: REPO,
    namespaces: ['production'],
  });
  return { chart, project };
}

describe('ProductionApplication', () => {
  test('renders main of the repository, in-cluster, with automated prune and self-heal', () => {
    // given
    const { chart, project } = setUp();
    // when
    new ProductionApplication(chart, 'App', {
      name: 'backend-prod',
      project,
      repoURL: REPO,
      path: 'infra/k8s/overlays/prod',
      destinationNamespace: 'production',
    });
    // then
    const [app] = Testing.synth(chart).filter((object) => object.kind === 'Application');
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'backend-prod', namespace: 'argocd' },
      spec: {
        project: 'production',
        source: { repoURL: REPO, targetRevision: 'main', path: 'infra/k8s/overlays/prod' },
        destination: { server: IN_CLUSTER_SERVER, namespace: 'production' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['CreateNamespace=false', 'PruneLast=true'],
          retry: { limit: 2, backoff: { duration: '30s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
    expect(productionSyncPolicy()).toEqual(app.spec.syncPolicy);
  });

  test('renders a recursive directory source when asked', () => {
    // given
    const { chart } = setUp();
    const gitops = new ArgoCdProject(chart, 'GitOps', {
      name: 'gitops',
      description: 'x',
      repoURL: REPO,
      namespaces: ['argocd'],
    });
    // when
    new ProductionApplication(chart, 'Root', {
      name: 'root',
      project: gitops,
      repoURL: REPO,
      path: 'infra/argocd',
      destinationNamespace: 'argocd',
      recurse: true,
    });
    // then
    const [root] = Testing.synth(chart).filter((object) => object.kind === 'Application');
    expect(root.spec.source.directory).toEqual({ recurse: true });
  });

  test('has no prop that weakens the sync policy, the revision or the destination', () => {
    // given
    const { chart, project } = setUp();
    const base: ProductionApplicationProps = {
      name: 'backend-prod',
      project,
      repoURL: REPO,
      path: 'p',
      destinationNamespace: 'production',
    };
    // when: `npm run typecheck` fails if any of these props comes to exist
    // @ts-expect-error there is no syncPolicy prop
    new ProductionApplication(chart, 'A', { ...base, syncPolicy: { automated: { selfHeal: false } } });
    // @ts-expect-error there is no targetRevision prop
    new ProductionApplication(chart, 'B', { ...base, name: 'b', targetRevision: 'dev' });
    // @ts-expect-error there is no selfHeal prop
    new ProductionApplication(chart, 'C', { ...base, name: 'c', selfHeal: false });
    // @ts-expect-error there is no prune prop
    new ProductionApplication(chart, 'D', { ...base, name: 'd', prune: false });
    // @ts-expect-error there is no syncOptions prop
    new ProductionApplication(chart, 'E', { ...base, name: 'e', syncOptions: ['CreateNamespace=true'] });
    // @ts-expect-error there is no destination server prop
    new ProductionApplication(chart, 'F', { ...base, name: 'f', server: 'https://elsewhere:6443' });
    // then: and whatever is passed at run time is ignored
    for (const app of Testing.synth(chart).filter((object) => object.kind === 'Application')) {
      expect(app.spec.syncPolicy).toEqual(productionSyncPolicy());
      expect(app.spec.source.targetRevision).toBe('main');
      expect(app.spec.destination.server).toBe(IN_CLUSTER_SERVER);
    }
  });

  test('subscriptions are annotations', () => {
    // given
    const { chart, project } = setUp();
    const app = new ProductionApplication(chart, 'App', {
      name: 'a',
      project,
      repoURL: REPO,
      path: 'p',
      destinationNamespace: 'production',
    });
    // when
    app.addAnnotation('notifications.argoproj.io/subscribe.on-x.slack', 'alerts');
    // then
    expect(app.apiObject.toJson().metadata.annotations).toEqual({
      'notifications.argoproj.io/subscribe.on-x.slack': 'alerts',
    });
  });

  test.each([
    [
      'a namespace the project does not allow',
      { destinationNamespace: 'staging' },
      /does not allow namespace "staging"/,
    ],
    ['a path leaving the repository', { path: '../other' }, /path "..\/other" must be a folder relative/],
    ['an absolute path', { path: '/infra' }, /must be a folder relative/],
    ['a name that is not a DNS label', { name: 'Backend_Prod' }, /is not a DNS label/],
  ])('fails: %s', (_label, override, message) => {
    // given
    const { chart, project } = setUp();
    // when / then
    expect(
      () =>
        new ProductionApplication(chart, 'App', {
          name: 'a',
          project,
          repoURL: REPO,
          path: 'p',
          destinationNamespace: 'production',
          ...override,
        }),
    ).toThrow(message);
  });
});
