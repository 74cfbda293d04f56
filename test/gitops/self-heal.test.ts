import { application, explainApplication } from './support/application';
import { drift } from './support/drift';
import { kubectl } from './support/kubectl';
import {
  DEPLOYMENT,
  LiveDeployment,
  LiveObject,
  NAMESPACE,
  PRODUCTION_APP,
  live,
  liveImage,
} from './support/production';
import { timed, waitUntil } from './support/wait-until';

const CONFIGMAP = 'app-config';
const SELF_HEAL_MS = 60000;

const replicas = (): number | undefined => live<LiveDeployment>('deployment', DEPLOYMENT)?.spec.replicas;
const configValue = (key: string): string | undefined => live('configmap', CONFIGMAP)?.data?.[key];

// The answer to what self-heal leaves (below): `npm run drift` reads managedFields. On a clean sync, nothing.
describe('npm run drift on a clean sync', () => {
  it('reports nothing and exits 0', async () => {
    const result = await timed('drift on a clean sync', () => drift());
    expect(result.findings).toEqual([]);
    expect(result.status).toBe(0);
  });
});

// Hand changes to what Git sets are reverted by ArgoCD's self-heal, within seconds and with no refresh
// asked: the controller watches the live objects.
describe('self-heal reverts hand changes to what Git sets', () => {
  it('kubectl scale', async () => {
    const fromGit = replicas();
    expect(fromGit).toBeDefined();
    kubectl('scale', 'deployment', '-n', NAMESPACE, DEPLOYMENT, '--replicas=7');
    await timed('kubectl scale reverted', () =>
      waitUntil(
        `replicas back to ${fromGit}`,
        () => (replicas() === fromGit ? true : undefined),
        SELF_HEAL_MS,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
  });

  it('kubectl set image (an image admission accepts)', async () => {
    const fromGit = liveImage();
    kubectl(
      'set',
      'image',
      '-n',
      NAMESPACE,
      `deployment/${DEPLOYMENT}`,
      'backend=ghcr.io/robson/backend:sha-0000000',
    );
    await timed('kubectl set image reverted', () =>
      waitUntil(
        `image back to ${fromGit}`,
        () => (liveImage() === fromGit ? true : undefined),
        SELF_HEAL_MS,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
  });

  it('an edit of a ConfigMap key Git sets', async () => {
    const fromGit = configValue('LOG_LEVEL');
    expect(fromGit).toBeDefined();
    kubectl(
      'patch',
      'configmap',
      '-n',
      NAMESPACE,
      CONFIGMAP,
      '--type=merge',
      '-p',
      '{"data":{"LOG_LEVEL":"trace"}}',
    );
    await timed('ConfigMap key edit reverted', () =>
      waitUntil(
        `LOG_LEVEL back to ${fromGit}`,
        () => (configValue('LOG_LEVEL') === fromGit ? true : undefined),
        SELF_HEAL_MS,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
  });
});

// The truth, stated: ArgoCD compares what Git sets with what is live. A field Git never set, and an
// object nobody tracks, are invisible to that diff, so self-heal leaves them (`npm run drift` is the
// answer: it reads the API server's managedFields).
describe('what self-heal does NOT revert', () => {
  const settle = async (): Promise<void> => {
    // A revert, if any, comes within seconds (above); wait for one full comparison after the change.
    const before = application(PRODUCTION_APP)?.status?.operationState?.finishedAt;
    kubectl(
      'annotate',
      'application',
      '-n',
      'argocd',
      PRODUCTION_APP,
      'argocd.argoproj.io/refresh=normal',
      '--overwrite',
    );
    await waitUntil(
      'refresh done',
      () => {
        const app = application(PRODUCTION_APP);
        const asked = app?.metadata.annotations?.['argocd.argoproj.io/refresh'];
        return asked === undefined && app?.status?.sync?.status === 'Synced' ? true : undefined;
      },
      SELF_HEAL_MS,
      () => `${explainApplication(PRODUCTION_APP)}\nlast sync finished ${before}`,
    );
  };

  afterAll(() => {
    kubectl('set', 'env', '-n', NAMESPACE, `deployment/${DEPLOYMENT}`, 'HAND_ADDED-');
    kubectl(
      'patch',
      'configmap',
      '-n',
      NAMESPACE,
      CONFIGMAP,
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/data/HAND_ADDED"}]',
    );
    kubectl('delete', 'configmap', '-n', NAMESPACE, 'hand-made', '--ignore-not-found');
  });

  it('an env var added by hand stays, and the app still says Synced', async () => {
    kubectl('set', 'env', '-n', NAMESPACE, `deployment/${DEPLOYMENT}`, 'HAND_ADDED=1');
    await timed('added env var still there after a refresh', settle);
    const container = live<LiveDeployment>('deployment', DEPLOYMENT)?.spec.template.spec.containers.find(
      (c) => c.name === 'backend',
    );
    expect(container?.env).toEqual(expect.arrayContaining([{ name: 'HAND_ADDED', value: '1' }]));
    expect(application(PRODUCTION_APP)?.status?.sync?.status).toBe('Synced');
  });

  it('a ConfigMap key added by hand stays', async () => {
    kubectl(
      'patch',
      'configmap',
      '-n',
      NAMESPACE,
      CONFIGMAP,
      '--type=merge',
      '-p',
      '{"data":{"HAND_ADDED":"1"}}',
    );
    await timed('added ConfigMap key still there after a refresh', settle);
    expect(configValue('HAND_ADDED')).toBe('1');
  });

  it('an object created by hand, untracked, stays: ArgoCD only warns about it (orphanedResources.warn)', async () => {
    kubectl('create', 'configmap', '-n', NAMESPACE, 'hand-made', '--from-literal=x=1');
    const warning = await timed('orphaned-resource warning', () =>
      waitUntil(
        'an OrphanedResourceWarning condition',
        () => {
          kubectl(
            'annotate',
            'application',
            '-n',
            'argocd',
            PRODUCTION_APP,
            'argocd.argoproj.io/refresh=normal',
            '--overwrite',
          );
          return application(PRODUCTION_APP)?.status?.conditions?.find(
            (c) => c.type === 'OrphanedResourceWarning',
          );
        },
        SELF_HEAL_MS,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
    process.stdout.write(`[gitops] ArgoCD: ${warning.type}: ${warning.message}\n`);
    expect(live<LiveObject>('configmap', 'hand-made')).toBeDefined();
  });
  it('npm run drift reports all three, and exits 1', async () => {
    const result = await timed('drift after the hand changes', () => drift());
    for (const f of result.findings)
      process.stdout.write(
        `[gitops] drift: ${f.object.kind}/${f.object.name} ${f.field ?? '(object)'} by ${f.manager}\n`,
      );
    expect(result.status).toBe(1);
    const found = (kind: string, name: string, field: (f: string | undefined) => boolean): boolean =>
      result.findings.some((f) => f.object.kind === kind && f.object.name === name && field(f.field));
    expect(found('Deployment', DEPLOYMENT, (f) => (f ?? '').includes('HAND_ADDED'))).toBe(true);
    expect(found('ConfigMap', CONFIGMAP, (f) => (f ?? '').includes('HAND_ADDED'))).toBe(true);
    expect(found('ConfigMap', 'hand-made', (f) => f === undefined)).toBe(true);
  });
});
