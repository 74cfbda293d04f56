import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  SEALED_SECRETS_CONTROLLER,
  SEALED_SECRETS_NAMESPACE,
  SEALING_KEY_LABEL,
  sealedSecretsControllerArgs,
  sealedSecretsControllerObjects,
} from '../../lib/access';
import { KubeObject } from '../../lib/manifest/kube-object';
import { pinnedSealedSecretsRelease } from '../../stacks/sealed-secrets';
import { gitopsEnv } from './support/gitops-env';
import { kubectl, kubectlApply, kubectlGet } from './support/kubectl';
import { timed, waitUntil } from './support/wait-until';

// The real Sealed Secrets controller, started by run.sh as its generated ServiceAccount with the generated
// Deployment's arguments, serving production and GITOPS_SEALING_NAMESPACE. Every object here is the test's
// own, in namespaces of its own: it runs beside the files that change production.

interface SealedSecretStatus {
  readonly conditions?: { type: string; status: string; message?: string }[];
}
interface SecretObject {
  readonly data?: Record<string, string>;
  readonly metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
}

const env = gitopsEnv();
const scratch = mkdtempSync(join(env.scratch, 'sealing-'));
/** A value made now, never written anywhere but the cluster under test. No newline. */
const aValue = (): string => `gitops-test-${randomBytes(12).toString('hex')}`;

/**
 * `kubeseal --raw` of `value` for `namespace`/`name`, strict scope, with the certificate `cert`. The value
 * goes through a file of the stack's scratch folder (mode 0600, removed at once): kubeseal opens
 * `--from-file` by name, and node's standard input to a child is a socket, which /dev/stdin cannot open.
 */
function seal(value: string, namespace: string, name: string, cert = env.sealingCertFile): string {
  const file = join(scratch, `value-${randomBytes(6).toString('hex')}`);
  writeFileSync(file, value, { mode: 0o600 });
  try {
    return execFileSync(
      join(env.toolsBin, 'kubeseal'),
      [
        '--raw',
        '--scope',
        'strict',
        '--namespace',
        namespace,
        '--name',
        name,
        '--cert',
        cert,
        `--from-file=${file}`,
      ],
      { encoding: 'utf8' },
    ).trim();
  } finally {
    rmSync(file);
  }
}

const sealedSecret = (namespace: string, name: string, encrypted: string): KubeObject => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name, namespace },
  spec: { encryptedData: { password: encrypted }, template: { metadata: { name, namespace } } },
});

const secretValue = (namespace: string, name: string): string | undefined => {
  const secret = kubectlGet<SecretObject>('secret', '-n', namespace, name);
  const data = secret?.data?.password;
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
};

const syncedCondition = (namespace: string, name: string) =>
  kubectlGet<{ status?: SealedSecretStatus }>(
    'sealedsecret',
    '-n',
    namespace,
    name,
  )?.status?.conditions?.find((condition) => condition.type === 'Synced');

describe('the Sealed Secrets controller (real, v0.40.0) with the generated objects', () => {
  const namespace = env.sealingNamespace;

  it('unseals a value sealed with the fetched certificate into the Secret of that name, owned by its SealedSecret', async () => {
    // given
    const value = aValue();
    const encrypted = seal(value, namespace, 'database');
    // when
    kubectlApply(sealedSecret(namespace, 'database', encrypted));
    // then
    const unsealed = await timed('SealedSecret applied to Secret with the value', () =>
      waitUntil('the controller writes Secret database', () => secretValue(namespace, 'database'), 30_000),
    );
    expect(unsealed).toBe(value);
    expect(kubectlGet<SecretObject>('secret', '-n', namespace, 'database')?.metadata.ownerReferences).toEqual(
      [expect.objectContaining({ kind: 'SealedSecret', name: 'database', controller: true })],
    );
    const synced = await waitUntil(
      'the SealedSecret reports Synced',
      () => (syncedCondition(namespace, 'database')?.status === 'True' ? true : undefined),
      15_000,
    );
    expect(synced).toBe(true);
  });

  it('does not unseal a value sealed for another name, and says so on the SealedSecret', async () => {
    // given: a value sealed for Secret "api-token", replayed under the name "replayed"
    const encrypted = seal(aValue(), namespace, 'api-token');
    // when
    kubectlApply(sealedSecret(namespace, 'replayed', encrypted));
    // then
    const condition = await timed('replayed SealedSecret refused', () =>
      waitUntil(
        'the SealedSecret reports the failure',
        () => {
          const found = syncedCondition(namespace, 'replayed');
          return found?.status === 'False' ? found : undefined;
        },
        30_000,
      ),
    );
    process.stdout.write(`[gitops] controller on the replayed SealedSecret: ${condition.message}\n`);
    expect(condition.message).toMatch(/no key could decrypt secret/);
    const events = kubectl(
      'get',
      'events',
      '-n',
      namespace,
      '--field-selector',
      'involvedObject.kind=SealedSecret,involvedObject.name=replayed',
      '-o',
      'jsonpath={.items[*].reason}',
    );
    expect(events).toContain('ErrUnsealFailed');
    expect(secretValue(namespace, 'replayed')).toBeUndefined();
  });
});

/** A free loopback port (the kernel's choice, released again). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A kubeconfig acting with a fresh token of ServiceAccount `namespace`/`name`, on the stack's API server. */
function serviceAccountKubeconfig(namespace: string, name: string): string {
  const admin = parse(readFileSync(env.kubeconfig, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
  };
  const token = kubectl('create', 'token', name, '-n', namespace, '--duration=1h').trim();
  const file = join(scratch, `${namespace}-${name}.kubeconfig`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'stack', cluster: admin.clusters[0].cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name: 'stack', context: { cluster: 'stack', user: name, namespace } }],
    'current-context': 'stack',
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

// Key custody (docs/runbooks/sealing-keys.md): every key backed up with the runbook's command, restored
// before a fresh controller starts, and that controller unseals what was sealed for the first one. The
// "new cluster" is a namespace of its own here (the first controller keeps running in sealed-secrets),
// so the backup's namespace is the one field changed; a real rebuild applies the file as it is.
describe('restoring the backed-up sealing keys into a fresh controller (the runbook)', () => {
  const home = 'sealed-secrets-restored';
  const served = 'sealed-secrets-restored-test';
  const logFile = join(scratch, 'restored-controller.log');
  let controller: ChildProcess | undefined;
  let httpPort = 0;

  afterAll(() => {
    if (controller?.pid) process.kill(-controller.pid, 'SIGTERM');
    kubectl('delete', 'namespace', home, served, '--wait=false', '--ignore-not-found');
  });

  it('backs up every key, restores them before the controller starts, and the fresh controller unseals what the first one sealed', async () => {
    // given: the backup, as the runbook takes it
    const backup = join(scratch, 'sealing-keys.yaml');
    writeFileSync(
      backup,
      kubectl('get', 'secret', '-n', SEALED_SECRETS_NAMESPACE, '-l', SEALING_KEY_LABEL, '-o', 'yaml'),
      { mode: 0o600 },
    );
    const keys = parse(readFileSync(backup, 'utf8')) as { items: KubeObject[] };
    expect(keys.items.length).toBeGreaterThanOrEqual(1);
    // and the fresh controller's generated identity, serving one namespace (no Deployment: a process here)
    const props = {
      namespace: home,
      servedNamespaces: [served],
      customResourceDefinition: pinnedSealedSecretsRelease().customResourceDefinition,
      image: pinnedSealedSecretsRelease().image,
    };
    const objects = sealedSecretsControllerObjects(props);
    for (const object of [
      objects.namespace,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: served } },
    ])
      kubectlApply(object);
    for (const object of [
      ...objects.controller.filter((o) => o.kind !== 'Deployment'),
      ...objects.served.map((s) => s.binding),
    ])
      kubectlApply(object);

    // when: the keys are restored first (`kubectl create -f` of the backup), then the controller starts
    const restored = join(scratch, 'sealing-keys-restored.yaml');
    writeFileSync(
      restored,
      readFileSync(backup, 'utf8').replaceAll(
        `namespace: ${SEALED_SECRETS_NAMESPACE}\n`,
        `namespace: ${home}\n`,
      ),
      { mode: 0o600 },
    );
    kubectl('create', '-f', restored);
    // and no private key was copied into an annotation on the way (what a client-side apply does)
    const annotations = kubectl(
      ...['get', 'secret', '-n', home, '-l', SEALING_KEY_LABEL],
      ...['-o', 'jsonpath={.items[*].metadata.annotations}'],
    );
    expect(annotations).not.toContain('last-applied-configuration');
    httpPort = await freePort();
    const metricsPort = await freePort();
    const args = sealedSecretsControllerArgs(props).map((arg) =>
      arg.startsWith('--listen-addr=')
        ? `--listen-addr=127.0.0.1:${httpPort}`
        : arg.startsWith('--listen-metrics-addr=')
          ? `--listen-metrics-addr=127.0.0.1:${metricsPort}`
          : arg,
    );
    const log = openSync(logFile, 'w');
    // `timeout`: should this file be killed before afterAll, the controller does not outlive the stack.
    controller = spawn('timeout', ['600', join(env.toolsBin, 'sealed-secrets-controller'), ...args], {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        KUBECONFIG: serviceAccountKubeconfig(home, SEALED_SECRETS_CONTROLLER),
        POD_NAMESPACE: home,
      },
    });
    closeSync(log);
    const cert = await timed('fresh controller up with the restored keys (certificate served)', () =>
      waitUntil(
        'the fresh controller serves its certificate',
        async () => {
          const answer = await fetch(`http://127.0.0.1:${httpPort}/v1/cert.pem`).catch(() => undefined);
          return answer?.ok ? answer.text() : undefined;
        },
        30_000,
      ),
    );

    // then: it made no key of its own, serves the first controller's certificate, and unseals for it
    const inHome = kubectlGet<{ items: unknown[] }>('secret', '-n', home, '-l', SEALING_KEY_LABEL);
    expect(inHome?.items).toHaveLength(keys.items.length);
    expect(cert).toBe(readFileSync(env.sealingCertFile, 'utf8'));
    const value = aValue();
    kubectlApply(sealedSecret(served, 'database', seal(value, served, 'database')));
    const unsealed = await timed('restored controller: SealedSecret to Secret', () =>
      waitUntil(
        'the fresh controller writes Secret database',
        () => secretValue(served, 'database'),
        30_000,
        () => readFileSync(logFile, 'utf8'),
      ),
    );
    expect(unsealed).toBe(value);
  });
});
