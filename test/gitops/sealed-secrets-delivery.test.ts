import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SEALING_CERTIFICATES_DIR } from '../../charts/paths';
import { sealIntoRepository } from '../../charts/sealed-values';
import { repository } from '../../charts/config';
import { previews, production } from '../../charts/environments';
import { REPO_ROOT } from '../helpers/tools';
import { application, explainApplication, refresh } from './support/application';
import { adminSession, argocd, terminateOperation } from './support/argocd-server';
import { gitopsEnv } from './support/gitops-env';
import { kubectl, kubectlGet } from './support/kubectl';
import {
  DEPLOYMENT,
  LiveDeployment,
  LiveObject,
  NAMESPACE,
  PRODUCTION_APP,
  live,
  productionConverged,
} from './support/production';
import { timed, waitUntil } from './support/wait-until';
import { WorkClone } from './support/work-clone';

const GUIDE = 'docs/adding-a-service.md';
const SECRET = 'backend-database';
const TLS_SECRET = 'api-robson-tls';
const REPOSITORY_SECRET = `repository-${repository.name}`;
const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';
const CHECKSUM = 'checksum/secrets';

/** The guide's ```ts secrets block: the declaration a service adds, used here as written. */
function guideSecrets(): string {
  const found = /```ts secrets\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, GUIDE), 'utf8'));
  if (!found) throw new Error(`${GUIDE} has no \`\`\`ts secrets block`);
  return found[1];
}

/** A value made now, for this stack only: never written anywhere but the pipe to `npm run seal`. */
const aValue = (what: string): string => `gitops-${what}-${randomBytes(12).toString('hex')}`;

/** The live Secret's keys, decoded. */
function secretData(): Record<string, string> | undefined {
  const data = live<LiveObject>('secret', SECRET)?.data;
  return (
    data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
  );
}

/** The pod template of the live Deployment: its checksum annotation and what its container reads. */
function podTemplate() {
  const deployment = live<
    LiveDeployment & {
      spec: {
        template: { metadata?: { annotations?: Record<string, string> }; spec: { volumes?: unknown[] } };
      };
    }
  >('deployment', DEPLOYMENT);
  return deployment?.spec.template;
}

// A sealed secret committed to main, end to end, as docs/adding-a-service.md tells a developer: the
// backend declares the guide's secret, the stack's certificate is committed as an administrator would,
// `npm run seal` reads each value from standard input, synth writes the SealedSecret, and a push to main
// is all it takes. The real ArgoCD syncs it, the real Sealed Secrets controller decrypts it into the Secret
// the Deployment references. Then a rotation, a hand deletion, and a plaintext Secret pushed to main.
// Left as found: every commit reverted, the SealedSecret pruned and its Secret collected.
describe('a secret through Git: sealed on main, synced by ArgoCD, decrypted in production', () => {
  const env = gitopsEnv();
  const timeout = (env.reconciliationSeconds * 2 + 60) * 1000;
  const clone = new WorkClone();
  const first = clone.head();
  const values = { password: aValue('password'), 'ca.crt': `${aValue('ca')}\n` };
  const certificate = { 'tls.crt': `${aValue('certificate')}\n`, 'tls.key': `${aValue('key')}\n` };
  const repositoryUrl = repository.url;
  const repositoryPassword = aValue('repository');
  /** The repositories ArgoCD has credentials for (`argocd repo list`, which never shows them). */
  const repositories = (): string[] =>
    (JSON.parse(argocd(adminSession(), ['repo', 'list', '-o', 'json'])) as { repo: string }[]).map(
      (entry) => entry.repo,
    );
  const repositoriesBefore = repositories();
  /** The hand-made Secrets ArgoCD reads here (run.sh), as they were: sealed with their own values. */
  const handMadeNotifications = kubectlGet<LiveObject>('secret', '-n', 'argocd', NOTIFICATIONS_SECRET)?.data;
  const handMade = (name: string, key: string): string => {
    const data = kubectlGet<LiveObject>('secret', '-n', 'argocd', name)?.data?.[key];
    if (data === undefined) throw new Error(`the stack has no Secret argocd/${name} with key ${key}`);
    return Buffer.from(data, 'base64').toString();
  };
  const argocdValues: Record<string, Record<string, string>> = {
    [NOTIFICATIONS_SECRET]: { 'slack-token': handMade(NOTIFICATIONS_SECRET, 'slack-token') },
    [previews.githubToken.secretName]: {
      [previews.githubToken.key]: handMade(previews.githubToken.secretName, previews.githubToken.key),
    },
    [REPOSITORY_SECRET]: { username: 'gitops-suite', password: repositoryPassword },
  };

  /**
   * Waits until production is Synced at `commit`, not for its rollout: what these checks read (the
   * Secret, the pod template) is there once the sync applied it; afterAll waits for Healthy.
   */
  const syncedAt = (commit: string): Promise<true> => {
    refresh(PRODUCTION_APP);
    return waitUntil(
      `${PRODUCTION_APP} Synced at ${commit}`,
      () => {
        const sync = application(PRODUCTION_APP)?.status?.sync;
        return sync?.status === 'Synced' && sync.revision === commit ? true : undefined;
      },
      timeout,
      () => explainApplication(PRODUCTION_APP),
    );
  };

  /** `npm run <script> -- args` in the clone, `input` on standard input; throws with its output. */
  const npmRun = (script: string, args: string[] = [], input = ''): string => {
    const run = spawnSync(
      process.execPath,
      [join(clone.dir, 'bin/run-bundled.mjs'), `bin/${script}.ts`, ...args],
      {
        cwd: clone.dir,
        input,
        encoding: 'utf8',
      },
    );
    if (run.status !== 0)
      throw new Error(`npm run ${script} exited ${run.status}:\n${run.stdout}${run.stderr}`);
    return run.stdout + run.stderr;
  };
  /** `npm run seal -- <owner> <secret> <key>`, the value on standard input, kept as given. */
  const seal = (owner: string, secret: string, key: string, value: string): string =>
    npmRun('seal', [owner, secret, key, '--keep-newline'], value);

  beforeAll(() => {
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone.dir, 'node_modules'));
    const catalog = join(clone.dir, 'charts/services.ts');
    const source = readFileSync(catalog, 'utf8');
    const anchor = "    configMapName: 'app-config',\n";
    if (!source.includes(anchor)) throw new Error(`charts/services.ts has no line ${anchor.trim()}`);
    writeFileSync(
      catalog,
      source.replace(anchor, `${anchor}${guideSecrets().replace(/^/gm, '    ').trimEnd()}\n`),
    );
    // The administrator's step: the stack controller's certificate, fetched by run.sh with kubeseal --fetch-cert.
    const certificate = join(clone.dir, SEALING_CERTIFICATES_DIR, 'in-cluster.pem');
    mkdirSync(dirname(certificate), { recursive: true });
    copyFileSync(env.sealingCertFile, certificate);
  });

  afterAll(async () => {
    // main as found: revert every commit of this file, one commit, then production converges on it.
    if (clone.head() === first) return;
    clone.git('revert', '--no-edit', '--no-commit', `${first}..HEAD`);
    clone.git('commit', '-q', '-m', 'gitops suite: back to main as found');
    clone.git('push', '-q', 'origin', 'HEAD:refs/heads/main');
    terminateOperation(PRODUCTION_APP);
    await productionConverged(timeout, clone.head());
    // Root would prune ArgoCD's SealedSecrets, but cannot in the simulation (docs/gitops-tests.md): the
    // test deletes what it would have. Only the repository credentials' Secret goes with them (its
    // owner); the hand-made ones were never taken over.
    kubectl(
      'delete',
      'sealedsecret',
      '-n',
      'argocd',
      '--ignore-not-found',
      '--wait',
      ...Object.keys(argocdValues),
    );
    await waitUntil(
      'the SealedSecret pruned and its Secret collected',
      () => (live('secret', SECRET) ? undefined : true),
      timeout,
    );
  }, timeout * 2);

  it('committed sealed: the Secret holds the values and the Deployment reads it', async () => {
    for (const [key, value] of Object.entries(values)) seal('backend', 'database', key, value);
    // With the certificate committed, synth needs every sealed Secret the platform declares too (SEAL003):
    // the Ingress certificate, and ArgoCD's own Secrets (the test below follows those). Sealed by the
    // function npm run seal calls, in this process: the command itself is what the backend's keys went through.
    const platform = [
      ...Object.entries(certificate).map(([key, value]) => ['backend', 'tls', key, value]),
      ...Object.entries(argocdValues).flatMap(([secret, keys]) =>
        Object.entries(keys).map(([key, value]) => ['argocd', secret, key, value]),
      ),
    ];
    for (const [service, secret, key, value] of platform)
      sealIntoRepository({
        root: clone.dir,
        service,
        secret,
        key,
        value: Buffer.from(value),
        keepNewline: true,
      });
    npmRun('synth');
    const changed = clone
      .git('status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    expect(changed).toEqual(
      expect.arrayContaining([
        `charts/sealed-secrets/${production.name}/${SECRET}.json`,
        expect.stringMatching(
          new RegExp(`overlays/${production.name}/resources/sealedsecret-${SECRET}\\.yaml$`),
        ),
      ]),
    );
    // Nothing readable went into Git: neither value appears in any file the commit adds.
    const diff =
      clone.git('diff', 'HEAD') + changed.map((file) => readFileSync(join(clone.dir, file), 'utf8')).join('');
    for (const value of [...Object.values(values), ...Object.values(certificate), repositoryPassword])
      expect(diff).not.toContain(value.trim());
    const commit = clone.commitAndPush('gitops suite: backend declares a sealed database secret');

    const data = await timed('sealed secret on main -> Secret in production', async () => {
      await syncedAt(commit);
      return waitUntil(
        `Secret ${SECRET} with both keys`,
        () => {
          const found = secretData();
          return found?.password && found['ca.crt'] ? found : undefined;
        },
        timeout,
        () => explainApplication(PRODUCTION_APP),
      );
    });
    expect(data).toEqual(values);
    const template = podTemplate();
    const container = template?.spec.containers.find((c) => c.name === 'backend') as
      | {
          env?: {
            name: string;
            valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
          }[];
        }
      | undefined;
    expect(container?.env).toEqual(
      expect.arrayContaining([
        {
          name: 'DATABASE_PASSWORD',
          valueFrom: { secretKeyRef: { name: SECRET, key: 'password', optional: false } },
        },
      ]),
    );
    expect(JSON.stringify(template?.spec.volumes)).toContain(SECRET);
    expect(template?.metadata?.annotations?.[CHECKSUM]).toMatch(/\S/);
  });

  it('the Ingress certificate: a kubernetes.io/tls Secret of the name the Ingress gives', () => {
    const tls = live<LiveObject & { type?: string }>('secret', TLS_SECRET);
    expect(tls?.type).toBe('kubernetes.io/tls');
    expect(Object.keys(tls?.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(Buffer.from(tls?.data?.['tls.key'] ?? '', 'base64').toString()).toBe(certificate['tls.key']);
  });

  it("ArgoCD's own Secrets: root syncs them sealed, the controller writes the new one, and never overwrites one made by hand", async () => {
    // Root takes main now (its syncs always fail here on the settings ConfigMaps: docs/gitops-tests.md).
    terminateOperation('root');
    const repository = await timed("ArgoCD's repository credentials: main -> Secret in argocd", () =>
      waitUntil(
        'Secret repository-production-infra in argocd',
        () =>
          kubectlGet<LiveObject & { metadata: { labels?: Record<string, string> } }>(
            'secret',
            '-n',
            'argocd',
            REPOSITORY_SECRET,
          ),
        timeout,
        () => explainApplication('root'),
      ),
    );
    expect(repository.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    const decoded = Object.fromEntries(
      Object.entries(repository.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    // the URL in plain sight from Git, the credentials unsealed
    expect(decoded).toEqual({ url: repositoryUrl, type: 'git', ...argocdValues[REPOSITORY_SECRET] });
    // ArgoCD reads it: the repository, unknown to it before (read without credentials), is now registered.
    expect(repositoriesBefore).not.toContain(repositoryUrl);
    const known = await waitUntil(
      'ArgoCD lists the repository',
      () => (repositories().includes(repositoryUrl) ? true : undefined),
      60_000,
      () => `argocd repo list: ${repositories().join(', ') || 'none'}`,
    );
    expect(known).toBe(true);
    // The notifications token exists already (made by hand at the stack's start, as before this file): the
    // controller refuses to take it over, and says so; the value ArgoCD posts with is unchanged.
    const condition = await waitUntil(
      'the notifications SealedSecret reports the Secret it will not overwrite',
      () =>
        kubectlGet<{ status?: { conditions?: { type: string; status: string; message?: string }[] } }>(
          'sealedsecret',
          '-n',
          'argocd',
          NOTIFICATIONS_SECRET,
        )?.status?.conditions?.find((c) => c.type === 'Synced' && c.status === 'False'),
      timeout,
    );
    process.stdout.write(`[gitops] controller on ${NOTIFICATIONS_SECRET}: ${condition.message}\n`);
    expect(condition.message).toContain(
      `Resource "${NOTIFICATIONS_SECRET}" already exists and is not managed by SealedSecret`,
    );
    expect(kubectlGet<LiveObject>('secret', '-n', 'argocd', NOTIFICATIONS_SECRET)?.data).toEqual(
      handMadeNotifications,
    );
  });

  it('rotated by a new commit: the Secret holds the new value and the pods roll', async () => {
    const before = podTemplate()?.metadata?.annotations?.[CHECKSUM];
    values.password = aValue('rotated');
    seal('backend', 'database', 'password', values.password);
    npmRun('synth');
    const commit = clone.commitAndPush('gitops suite: rotate the backend database password');
    await timed('rotation on main -> Secret in production', async () => {
      await syncedAt(commit);
      await waitUntil(
        'the rotated password in the Secret',
        () => (secretData()?.password === values.password ? true : undefined),
        timeout,
      );
    });
    expect(secretData()).toEqual(values);
    expect(podTemplate()?.metadata?.annotations?.[CHECKSUM]).not.toBe(before);
  });

  it('deleted by hand: the controller writes it again', async () => {
    kubectl('delete', 'secret', '-n', NAMESPACE, SECRET);
    const data = await timed('Secret deleted by hand -> back', () =>
      waitUntil(
        'the Secret back',
        () => secretData(),
        60_000,
        () => kubectl('get', 'sealedsecret', '-n', NAMESPACE, SECRET, '-o', 'yaml'),
      ),
    );
    expect(data).toEqual(values);
  });

  it('a plaintext Secret added to Git fails the policy check and never reaches the cluster', async () => {
    const overlay = join(clone.dir, 'infra/k8s/backend/overlays', production.name);
    const file = 'resources/secret-backend-plaintext.yaml';
    const plaintext = aValue('plaintext');
    writeFileSync(
      join(overlay, file),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: backend-plaintext\n  namespace: ${NAMESPACE}\nstringData:\n  token: ${plaintext}\n`,
    );
    const kustomization = join(overlay, 'kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replace('resources:\n', `resources:\n  - ${file}\n`),
    );

    // CI's policy check refuses it, naming the rule and the file.
    const check = spawnSync(
      process.execPath,
      [join(clone.dir, 'bin/run-bundled.mjs'), 'bin/policy.ts', 'infra/k8s'],
      {
        cwd: clone.dir,
        encoding: 'utf8',
      },
    );
    process.stdout.write(
      `[gitops] npm run policy on the plaintext Secret: ${check.stdout.split('\n').find((l) => l.includes('SEC001'))}\n`,
    );
    expect(check.status).not.toBe(0);
    expect(check.stdout + check.stderr).toMatch(
      new RegExp(`SEC001.*secret-backend-plaintext\\.yaml|secret-backend-plaintext\\.yaml.*SEC001`),
    );

    // Merged anyway (say, past a broken CI): ArgoCD refuses it, in its own words. As its ServiceAccount the
    // controller may not even read Secrets in production (the sync Role), so the comparison fails before
    // any sync; as cluster admin (GITOPS_CONTROLLER_AS=admin) the project's whitelist refuses the kind.
    clone.commitAndPush('gitops suite: a plaintext Secret on main');
    refresh(PRODUCTION_APP);
    const refused =
      env.controllerAs === 'admin'
        ? /Secret.*not permitted in project/
        : /secrets "backend-plaintext" is forbidden: User "system:serviceaccount:argocd:argocd-application-controller" cannot get resource "secrets"/;
    const refusal = await timed('plaintext Secret on main refused by ArgoCD', () =>
      waitUntil(
        'ArgoCD refusing the Secret',
        () => {
          const status = application(PRODUCTION_APP)?.status;
          const words = [
            ...(status?.conditions ?? []).map((c) => `${c.type}: ${c.message}`),
            status?.operationState?.message ?? '',
          ];
          return words.find((w) => refused.test(w));
        },
        timeout,
        () => explainApplication(PRODUCTION_APP),
      ),
    );
    process.stdout.write(`[gitops] ArgoCD on the plaintext Secret: ${refusal}\n`);
    expect(live('secret', 'backend-plaintext')).toBeUndefined();
  });
});
