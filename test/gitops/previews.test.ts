import { renameSync, writeFileSync } from 'node:fs';
import { application, explainApplication, syncedHealthy } from './support/application';
import { FakePullRequest } from './support/git-host/fake-github-api';
import { gitopsEnv } from './support/gitops-env';
import { destinationData, restoreDestination } from './support/in-cluster-destination';
import { kubectl, kubectlApply, kubectlGet } from './support/kubectl';
import { CONTROLLER_IDENTITY, previewAccessObjects } from './support/preview-access';
import { timed, waitUntil } from './support/wait-until';

const LABELLED = 7;
const UNLABELLED = 8;
const PREVIEW = `preview-${LABELLED}`;
const HOST = `api-pr-${LABELLED}.preview.robson.example`;

interface LiveDeployment {
  readonly spec: {
    readonly template: { readonly spec: { readonly containers: readonly { image: string }[] } };
  };
}
interface LiveIngress {
  readonly spec: {
    readonly rules: readonly { host: string }[];
    readonly tls?: readonly { hosts: string[] }[];
  };
}

// Our generated ApplicationSet, read by the real ApplicationSet controller, with a FAKE of GitHub's
// pull-request list (the only GitHub fake): what it generates, what ArgoCD syncs, and what closing the pull
// request removes.
describe('previews (our ApplicationSet, a fake GitHub pull-request API)', () => {
  const env = gitopsEnv();
  const timeout = 120000;
  const tag = `sha-${env.head.slice(0, 7)}`;
  let clusterSecret: Record<string, string> | undefined;

  /** What the fake GitHub lists; then asks the controller to look now, as GitHub's webhook would. */
  const pullRequests = (pulls: readonly FakePullRequest[]): void => {
    writeFileSync(`${env.pullRequestsFile}.tmp`, JSON.stringify(pulls));
    renameSync(`${env.pullRequestsFile}.tmp`, env.pullRequestsFile);
    kubectl(
      'annotate',
      'applicationset',
      '-n',
      'argocd',
      'previews',
      'argocd.argoproj.io/application-set-refresh=true',
      '--overwrite',
    );
  };
  const open = (number: number, labels: string[]): FakePullRequest => ({
    number,
    headSha: env.head,
    branch: `feature/pr-${number}`,
    labels,
  });

  afterAll(() => {
    pullRequests([]);
    if (clusterSecret) restoreDestination(clusterSecret);
    for (const object of [...previewAccessObjects].reverse()) {
      const { kind, metadata } = object as { kind: string; metadata: { name: string } };
      kubectl('delete', kind, metadata.name, '--ignore-not-found');
    }
  });

  it(`a pull request labelled "preview" gets Application ${PREVIEW}; one without the label gets nothing`, async () => {
    pullRequests([open(LABELLED, ['preview']), open(UNLABELLED, ['documentation'])]);
    const app = await timed(`${PREVIEW} generated`, () =>
      waitUntil(
        `Application ${PREVIEW}`,
        () => application(PREVIEW),
        timeout,
        () => JSON.stringify(kubectlGet('applicationset', '-n', 'argocd', 'previews')?.status ?? {}),
      ),
    );
    const spec = kubectlGet<{ spec: Record<string, unknown> }>('application', '-n', 'argocd', PREVIEW)?.spec;
    expect(spec).toMatchObject({
      project: 'preview',
      destination: { server: 'https://kubernetes.default.svc', namespace: PREVIEW },
      source: {
        path: 'infra/k8s/preview',
        targetRevision: env.head,
        kustomize: { namespace: PREVIEW, images: [`ghcr.io/robson/backend:${tag}`] },
      },
    });
    expect(app.metadata.name).toBe(PREVIEW);
    expect(application(`preview-${UNLABELLED}`)).toBeUndefined();
  });

  if (env.controllerAs === 'serviceaccount') {
    // The question the ADR left open, answered by ArgoCD: with the production identity only (namespaced,
    // argocd and production), the controller cannot create the preview's Namespace.
    it(`FINDING: with production's rights only, ArgoCD cannot create namespace ${PREVIEW}`, async () => {
      const refusal = await waitUntil(
        `${PREVIEW} refused in namespaced mode`,
        () =>
          application(PREVIEW)?.status?.conditions?.find((c) =>
            /Namespace "preview-7" can not be managed when in namespaced mode/.test(c.message),
          ),
        timeout,
        () => explainApplication(PREVIEW),
      );
      process.stdout.write(`[gitops] FINDING ${PREVIEW}: ${refusal.type}: ${refusal.message}\n`);
      expect(kubectlGet('namespace', PREVIEW)).toBeUndefined();
    });

    it('with the decided access, the API server still refuses the controller any other namespace or place', async () => {
      for (const object of previewAccessObjects) kubectlApply(object);
      const as = ['--as', CONTROLLER_IDENTITY];
      // Server-side dry runs: admission decides, nothing is created. The API server loads a new policy
      // within a second or so: asked again until it answers.
      const refused = (args: string[]): Promise<string> =>
        waitUntil(
          `the API server refusing ${args.join(' ')}`,
          () => {
            try {
              kubectl(...as, ...args, '--dry-run=server');
              return undefined;
            } catch (error) {
              return /ValidatingAdmissionPolicy/.test(String(error)) ? String(error) : undefined;
            }
          },
          30000,
        );
      expect(await refused(['create', 'namespace', 'gitops-not-a-preview'])).toContain(
        'ArgoCD may create, change or delete only the Namespaces of previews (preview-<number>), not gitops-not-a-preview',
      );
      expect(await refused(['create', 'configmap', '-n', 'default', 'gitops-not-here'])).toContain(
        'ArgoCD may write only in production and preview-<number>',
      );
      expect(await refused(['create', 'configmap', '-n', 'argocd', 'gitops-not-here'])).toContain(
        'ArgoCD may write only in production and preview-<number> (in argocd only its own objects and events), not configmaps in argocd',
      );
      expect(
        kubectl(...as, 'create', 'namespace', 'preview-999', '--dry-run=server', '-o', 'name').trim(),
      ).toBe('namespace/preview-999');
      // The in-cluster destination, no longer limited to argocd and production: the controller watches the
      // cluster and may manage Namespaces (what its RBAC and the policy allow).
      clusterSecret = destinationData();
      kubectl(
        'patch',
        'secret',
        '-n',
        'argocd',
        'in-cluster',
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'remove', path: '/data/namespaces' },
          { op: 'replace', path: '/data/clusterResources', value: Buffer.from('true').toString('base64') },
        ]),
      );
    });
  }

  it(`${PREVIEW} syncs the preview overlay into its own namespace, image ${tag}, host ${HOST}`, async () => {
    await timed(`${PREVIEW} Synced and Healthy`, () =>
      waitUntil(
        `${PREVIEW} Synced and Healthy`,
        () => {
          // The stand-in for the ingress controller, as for production (run.sh).
          if (kubectlGet('ingress', '-n', PREVIEW, 'backend'))
            kubectl(
              'patch',
              'ingress',
              '-n',
              PREVIEW,
              'backend',
              '--subresource=status',
              '--type=merge',
              '-p',
              '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}',
            );
          return syncedHealthy(application(PREVIEW), env.head) ? true : undefined;
        },
        timeout,
        () => explainApplication(PREVIEW),
      ),
    );
    const namespace = kubectlGet<{ metadata: { labels: Record<string, string> } }>('namespace', PREVIEW);
    expect(namespace?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const images = kubectlGet<LiveDeployment>(
      'deployment',
      '-n',
      PREVIEW,
      'backend',
    )?.spec.template.spec.containers.map((c) => c.image);
    expect(images).toEqual([`ghcr.io/robson/backend:${tag}`]);
    const ingress = kubectlGet<LiveIngress>('ingress', '-n', PREVIEW, 'backend');
    expect(ingress?.spec.rules.map((r) => r.host)).toEqual([HOST]);
    expect(ingress?.spec.tls?.flatMap((t) => t.hosts)).toEqual([HOST]);
    expect(application(`preview-${UNLABELLED}`)).toBeUndefined();
  });

  it('closing the pull request removes the Application, the namespace and everything in it', async () => {
    pullRequests([{ ...open(LABELLED, ['preview']), state: 'closed' }, open(UNLABELLED, ['documentation'])]);
    await timed(`pull request closed -> ${PREVIEW} and its namespace gone`, () =>
      waitUntil(
        `${PREVIEW} and namespace ${PREVIEW} deleted`,
        () => (application(PREVIEW) || kubectlGet('namespace', PREVIEW) ? undefined : true),
        timeout,
        () => `${explainApplication(PREVIEW)}\n${kubectl('get', 'all', '-n', PREVIEW, '--ignore-not-found')}`,
      ),
    );
    expect(kubectl('get', 'deployments,ingresses,configmaps', '-n', PREVIEW, '-o', 'name').trim()).toBe('');
  });
});
