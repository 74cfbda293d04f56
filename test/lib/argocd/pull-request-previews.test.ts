import { Chart, Duration, Testing } from 'cdk8s';
import {
  ArgoCdProject,
  PullRequestParameter,
  PullRequestPreviews,
  PullRequestPreviewsProps,
  RESOURCES_FINALIZER,
  productionSyncPolicy,
  pullRequestParameter,
} from '../../../lib';

const REPO = 'https://github.com/acme/infra.git';

function setUp(namespaces: string[] = ['preview-*']): { chart: Chart; props: PullRequestPreviewsProps } {
  const chart = new Chart(Testing.app(), 'Test');
  const project = new ArgoCdProject(chart, 'Project', {
    name: 'preview',
    description: 'x',
    repoURL: REPO,
    namespaces,
  });
  return {
    chart,
    props: {
      project,
      github: { owner: 'acme', repo: 'infra' },
      repoURL: REPO,
      path: 'infra/k8s/overlays/preview',
      images: ['ghcr.io/acme/app'],
    },
  };
}

describe('PullRequestPreviews', () => {
  test('one Application per pull request, at its head, in preview-<number>, deleted with it', () => {
    // given
    const { chart, props } = setUp();
    // when
    new PullRequestPreviews(chart, 'Previews', { ...props, pollInterval: Duration.minutes(2) });
    // then
    const appSet = Testing.synth(chart).find((object) => object.kind === 'ApplicationSet');
    expect(appSet.metadata).toEqual({ name: 'previews', namespace: 'argocd' });
    expect(appSet.spec.generators).toEqual([
      { pullRequest: { github: { owner: 'acme', repo: 'infra' }, requeueAfterSeconds: 120 } },
    ]);
    expect(appSet.spec.template.metadata).toEqual({
      name: 'preview-{{ .number }}',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/part-of': 'previews' },
      finalizers: [RESOURCES_FINALIZER],
    });
    expect(appSet.spec.template.spec).toEqual({
      project: 'preview',
      source: {
        repoURL: REPO,
        targetRevision: '{{ .head_sha }}',
        path: 'infra/k8s/overlays/preview',
        kustomize: {
          namespace: 'preview-{{ .number }}',
          images: ['ghcr.io/acme/app:sha-{{ .head_short_sha_7 }}'],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'preview-{{ .number }}' },
      syncPolicy: productionSyncPolicy(),
    });
    expect(appSet.spec.syncPolicy).toEqual({ applicationsSync: 'sync', preserveResourcesOnDeletion: false });
  });

  test('parameters render as Go template references', () => {
    expect(pullRequestParameter(PullRequestParameter.HEAD_SHORT_SHA_7)).toBe('{{ .head_short_sha_7 }}');
  });

  test.each([
    [
      'a project that does not allow the preview namespaces',
      ['staging'],
      {},
      /does not allow namespace "preview-<number>"/,
    ],
    ['a prefix without a trailing "-"', ['pr*'], { namespacePrefix: 'pr' }, /namespacePrefix "pr"/],
    ['no image', ['preview-*'], { images: [] }, /images is empty/],
  ])('fails: %s', (_label, namespaces, override, message) => {
    // given
    const { chart, props } = setUp(namespaces);
    // when / then
    expect(() => new PullRequestPreviews(chart, 'Previews', { ...props, ...override })).toThrow(message);
  });
});
