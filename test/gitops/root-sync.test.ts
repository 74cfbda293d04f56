import { application, explainApplication, syncedHealthy } from './support/application';
import { gitopsEnv } from './support/gitops-env';
import { kubectlGet } from './support/kubectl';
import { DEPLOYMENT, LiveDeployment, NAMESPACE, PRODUCTION_APP, live } from './support/production';
import { timed, waitUntil } from './support/wait-until';

// run.sh applied only ArgoCD's installation and infra/argocd/applications/root.yaml: everything below
// came from Git, through ArgoCD.
describe('the app of apps', () => {
  const env = gitopsEnv();

  it('root created robson-backend-prod and our projects from main', async () => {
    await timed('root created robson-backend-prod', () =>
      waitUntil(
        'robson-backend-prod and the AppProjects created by root',
        () =>
          application(PRODUCTION_APP) &&
          kubectlGet('appproject', '-n', 'argocd', 'production') &&
          kubectlGet('applicationset', '-n', 'argocd', 'previews')
            ? true
            : undefined,
        60000,
        () => explainApplication('root'),
      ),
    );
    expect(application('root')?.status?.sync?.revision).toBe(env.head);
  });

  if (env.controllerAs === 'admin') {
    // The ApplicationSet controller reports the previews ApplicationSet's status (its pull requests listed
    // from the fake GitHub), so everything root created is Healthy.
    it('root is Synced from main and all it created is Healthy (controller as cluster admin)', async () => {
      const resources = await timed('root Synced', () =>
        waitUntil(
          'root Synced with every resource Synced',
          () => {
            const status = application('root')?.status as RootStatus | undefined;
            const all = status?.resources ?? [];
            const assessed = all.some((r) => r.kind === 'ApplicationSet' && r.health?.status);
            return status?.sync?.status === 'Synced' &&
              status.sync.revision === env.head &&
              assessed &&
              all.every((r) => r.status === 'Synced')
              ? all
              : undefined;
          },
          60000,
          () => explainApplication('root'),
        ),
      );
      const unhealthy = resources.filter((r) => r.health && r.health.status !== 'Healthy');
      for (const r of unhealthy)
        process.stdout.write(`[gitops] root's ${r.kind}/${r.name}: ${r.health?.status}\n`);
      expect(unhealthy.map((r) => `${r.kind}/${r.name}`)).toEqual([]);
      expect(kubectlGet('configmap', '-n', 'argocd', 'argocd-rbac-cm')).toBeDefined();
    });
  } else {
    // FINDING, stated rather than widened: as argocd/argocd-application-controller, with ArgoCD's released
    // namespaced Role (configmaps: get, list, watch) and nothing of ours in namespace argocd, root cannot
    // write our settings ConfigMaps (run.sh applies them unchanged as the administrator, so root's attempt
    // is a patch). Everything else of root is applied. When a Role for them is added (infra/cluster), this
    // test fails: replace it by the admin branch's assertion.
    it('FINDING: root may not write our settings ConfigMaps in argocd (RBAC), everything else is applied', async () => {
      const refused = await timed('root refused its ConfigMaps', () =>
        waitUntil(
          "root's ConfigMaps refused by RBAC",
          () => {
            const resources = application('root')?.status?.operationState?.syncResult?.resources ?? [];
            const failed = resources.filter((r) => r.status === 'SyncFailed');
            return failed.length > 0 ? { resources, failed } : undefined;
          },
          60000,
          () => explainApplication('root'),
        ),
      );
      for (const r of refused.failed)
        process.stdout.write(`[gitops] FINDING root ${r.kind}/${r.name}: ${r.message}\n`);
      expect(refused.failed.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
        'ConfigMap/argocd-notifications-cm',
        'ConfigMap/argocd-rbac-cm',
      ]);
      expect(
        refused.failed.every((r) =>
          /configmaps( "[-a-z]+")? is forbidden: User "system:serviceaccount:argocd:argocd-application-controller" cannot (create|patch)/.test(
            r.message ?? '',
          ),
        ),
      ).toBe(true);
      expect(
        refused.resources.filter((r) => r.kind !== 'ConfigMap').every((r) => r.status === 'Synced'),
      ).toBe(true);
    });
  }

  it('robson-backend-prod is Synced and Healthy at the commit of main', async () => {
    const app = await timed('robson-backend-prod Synced and Healthy', () =>
      waitUntil(
        'robson-backend-prod Synced and Healthy',
        () => {
          const found = application(PRODUCTION_APP);
          return syncedHealthy(found, env.head) ? found : undefined;
        },
        60000,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
    expect(app.status?.sync?.revision).toBe(env.head);
  });

  it("the Deployment is Available and its pods are Running and Ready on kwok's node", async () => {
    const deployment = live<LiveDeployment>('deployment', DEPLOYMENT);
    expect(deployment?.status?.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Available', status: 'True' })]),
    );
    const pods = await timed('pods Running', () =>
      waitUntil(
        `${deployment?.spec.replicas} Running and Ready pods of ${DEPLOYMENT}`,
        () => {
          const list = kubectlGet<{ items: Pod[] }>(
            'pods',
            '-n',
            NAMESPACE,
            '-l',
            'app.kubernetes.io/name=backend',
          );
          const running = (list?.items ?? []).filter(
            (pod) =>
              pod.status.phase === 'Running' &&
              pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          );
          return running.length === deployment?.spec.replicas ? running : undefined;
        },
        60000,
      ),
    );
    expect(pods.every((pod) => pod.spec.nodeName === 'kwok-node-0')).toBe(true);
  });
});

interface Pod {
  readonly spec: { readonly nodeName?: string };
  readonly status: {
    readonly phase: string;
    readonly conditions?: readonly { type: string; status: string }[];
  };
}

/** `status.resources` of an Application: each object it manages, with its sync and health. */
interface RootStatus {
  readonly sync?: { readonly status?: string; readonly revision?: string };
  readonly resources?: readonly {
    readonly kind: string;
    readonly name: string;
    readonly status?: string;
    readonly health?: { readonly status?: string };
  }[];
}
