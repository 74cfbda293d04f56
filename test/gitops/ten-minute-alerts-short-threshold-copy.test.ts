import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { application, explainApplication } from './support/application';
import { SETTINGS_COPY, messagesAbout, slackMessage } from './support/fake-slack-messages';
import { gitopsEnv } from './support/gitops-env';
import { kubectl, kubectlApply } from './support/kubectl';
import { timed } from './support/wait-until';
import { REPO_ROOT } from '../helpers/tools';
import { repository } from '../../charts/config';

const GENERATED = 'infra/argocd/settings/argocd-notifications-cm.yaml';
const COPY = 'argocd-notifications-cm-short-threshold';
const REPO = repository.url;

interface ConfigMap {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly data: Record<string, string>;
}

/** The generated settings with every 10-minute threshold made 10 seconds; fails if there are not exactly 2. */
function shortThresholdCopy(): ConfigMap {
  const generated = parse(readFileSync(resolve(REPO_ROOT, GENERATED), 'utf8')) as ConfigMap;
  let replaced = 0;
  const data = Object.fromEntries(
    Object.entries(generated.data).map(([key, value]) => [
      key,
      value.replace(/\.Minutes\(\) >= 10\b/g, () => {
        replaced++;
        return '.Seconds() >= 10';
      }),
    ]),
  );
  if (replaced !== 2)
    throw new Error(`test set-up: expected 2 ten-minute thresholds in ${GENERATED}, found ${replaced}`);
  return { ...generated, metadata: { ...generated.metadata, name: COPY }, data };
}

/** The subscriptions our generated Applications carry, read from the generated production Application. */
function generatedSubscriptions(): Record<string, string> {
  const app = parse(
    readFileSync(resolve(REPO_ROOT, 'infra/argocd/applications/robson-backend-prod.yaml'), 'utf8'),
  ) as { metadata: { annotations: Record<string, string> } };
  return app.metadata.annotations;
}

// The two 10-minute triggers are proven by their expressions (test/lib/argocd/notification-trigger.e2e.test.ts);
// here their DELIVERY is: a second notifications controller reads a COPY of the generated settings whose
// only change is 10 seconds instead of 10 minutes, for two test Applications labelled for it (the
// controller of the generated settings leaves labelled Applications alone).
describe('the 10-minute alerts, delivered with a test-only 10-second threshold on a COPY of argocd-notifications-cm', () => {
  const env = gitopsEnv();
  const [labelKey, labelValue] = env.notificationsCopyLabel.split('=');
  const created: string[] = [];

  const testApplication = (name: string, path: string) => {
    created.push(name);
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name,
        namespace: 'argocd',
        labels: { [labelKey]: labelValue },
        annotations: generatedSubscriptions(),
      },
      spec: {
        project: 'production',
        source: { repoURL: REPO, targetRevision: 'main', path },
        // Not automated: nothing syncs it.
        destination: { server: 'https://kubernetes.default.svc', namespace: 'production' },
      },
    });
  };

  beforeAll(() => {
    kubectlApply(shortThresholdCopy());
  });

  afterAll(() => {
    for (const name of created)
      kubectl('delete', 'application', '-n', 'argocd', name, '--ignore-not-found', '--wait=false');
    kubectl('delete', 'configmap', '-n', 'argocd', COPY, '--ignore-not-found');
  });

  it('Git unreadable (ComparisonError) for 10 s: on-comparison-error reaches #infra-alerts', async () => {
    const since = new Date();
    const name = 'short-threshold-comparison-error';
    testApplication(name, 'infra/k8s/no-such-folder');
    const message = await timed('comparison error -> alert (10 s threshold)', () =>
      slackMessage(name, /has not been able to render/, since, 90000, SETTINGS_COPY, () =>
        explainApplication(name),
      ),
    );
    process.stdout.write(`[gitops] fake Slack got #${message.channel}: ${message.text}\n`);
    expect(application(name)?.status?.conditions?.map((c) => c.type)).toContain('ComparisonError');
    expect(message.channel).toBe('infra-alerts');
    expect(message.text).toContain(`ArgoCD has not been able to render ${name} from Git`);
    expect((new Date(message.at).getTime() - since.getTime()) / 1000).toBeGreaterThanOrEqual(10);
  });

  it('OutOfSync with nothing syncing it for 10 s: on-out-of-sync reaches #infra-alerts, with the revision', async () => {
    const since = new Date();
    const name = 'short-threshold-out-of-sync';
    // Nothing syncs it, so it stays OutOfSync: main's objects are tracked by production, not by it.
    testApplication(name, 'infra/k8s/backend/overlays/prod');
    const message = await timed('OutOfSync -> alert (10 s threshold)', () =>
      slackMessage(name, /has been OutOfSync/, since, 90000, SETTINGS_COPY, () => explainApplication(name)),
    );
    process.stdout.write(`[gitops] fake Slack got #${message.channel}: ${message.text}\n`);
    const revision = application(name)?.status?.sync?.revision;
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    expect(message.channel).toBe('infra-alerts');
    expect(message.text).toContain(`revision ${revision} is not deployed`);
  });

  it('the controller of the generated settings sent nothing about the labelled test Applications', () => {
    const start = new Date(0);
    expect(messagesAbout('short-threshold-comparison-error', start)).toEqual([]);
    expect(messagesAbout('short-threshold-out-of-sync', start)).toEqual([]);
  });
});
