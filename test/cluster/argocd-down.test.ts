/**
 * docs/runbooks/argocd-down.md, step 2.3, run as written: the prod overlay rendered with the pinned
 * kustomize, then `kubectl diff` and `kubectl apply` by an on-call engineer impersonating the break-glass
 * identity, against a production that has lost its objects. Every object must be created, and the audit
 * log must name both the engineer and the identity they took for each.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { renderEnvironment } from '../helpers/environment-overlays';
import { Persona } from '../../lib/access';
import { findTool, kustomizeBuild } from '../../lib/kustomize/kustomize-build';
import { describeObject } from '../../lib/manifest/object-id';
import { personas, settings } from '../../stacks/access-matrix';
import { AuditEvent, waitForAuditEvent } from './support/audit-log';
import { mintClientCertificate } from './support/client-certificate';
import { ApiError, ApiObject } from './support/cluster-client';
import { ClusterFixture, eventually } from './support/cluster-fixture';
import { REPO_ROOT } from './support/generated-manifests';
import { Kubectl, kubectlWith } from './support/kubectl';
import { Nested } from './support/workload-pod';

const oncall: Persona = (() => {
  const found = personas.find((p) => p.id === 'oncall');
  if (!found) throw new Error('the access matrix has no persona "oncall"');
  return found;
})();
const BREAK_GLASS_FLAGS = ['--as', settings.breakGlassUser, '--as-group', settings.breakGlassGroup];

let fixture: ClusterFixture;
let kubectl: Kubectl;
let renderedFile: string;
let rendered: ApiObject[];
/** When the procedure started: the audit log holds the earlier files' requests too. */
let startedAt: number;
const since = (event: AuditEvent): boolean => Date.parse(event.requestReceivedTimestamp) >= startedAt - 1000;

const resourcePath = async (object: ApiObject): Promise<string> => fixture.admin.pathOf(object);
const exists = async (object: ApiObject): Promise<boolean> => {
  try {
    await fixture.admin.request({ method: 'GET', path: await resourcePath(object) });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
};

beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  const scratch = join(fixture.env.scratch, 'argocd-down');
  mkdirSync(scratch, { recursive: true });

  // The on-call engineer's kubeconfig: their own certificate, nothing else.
  const certificate = mintClientCertificate(fixture.env.caCert, fixture.env.caKey, scratch, oncall);
  const cluster = fixture.admin.kubeConfig.getCurrentCluster();
  if (!cluster?.caData) throw new Error('the suite kubeconfig has no cluster CA data');
  const kubeconfig = join(scratch, 'oncall.kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'production',
          cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData },
        },
      ],
      users: [
        {
          name: oncall.user,
          user: {
            'client-certificate-data': Buffer.from(certificate.cert).toString('base64'),
            'client-key-data': Buffer.from(certificate.key).toString('base64'),
          },
        },
      ],
      contexts: [{ name: 'production', context: { cluster: 'production', user: oncall.user } }],
      'current-context': 'production',
    }),
    { mode: 0o600 },
  );
  kubectl = kubectlWith(kubeconfig, join(scratch, 'cache'));

  // The runbook's render: `kustomize build` of every infra/k8s/<component>/overlays/prod, into one file.
  const kustomize = findTool('kustomize', REPO_ROOT);
  const yaml = renderEnvironment(REPO_ROOT, 'prod', (dir) => kustomizeBuild(kustomize, dir));
  renderedFile = join(scratch, 'production.yaml');
  writeFileSync(renderedFile, yaml);
  rendered = parseAllDocuments(yaml).map((document) => document.toJS() as ApiObject);
  if (rendered.length === 0) throw new Error('the prod overlays render no object');

  // Production has lost its objects (the worst case the procedure must handle: everything is created).
  for (const object of rendered) {
    await fixture.admin.request({ method: 'DELETE', path: await resourcePath(object) }).catch((error) => {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    });
  }
  for (const object of rendered) {
    await eventually(`${describeObject(object)} deleted`, 30, async () =>
      (await exists(object)) ? undefined : true,
    );
  }
  startedAt = Date.now();
});

afterAll(async () => {
  // Back to what Git says, as ArgoCD's sync would once it is back.
  for (const object of rendered ?? []) await fixture.admin.apply(object);
});

const applyArgs = (verb: 'apply' | 'diff', extra: readonly string[] = []): string[] => [
  ...extra,
  '-n',
  settings.namespace,
  verb,
  '-f',
  renderedFile,
];

describe('the ArgoCD-down procedure (docs/runbooks/argocd-down.md), with the real kubectl', () => {
  test('fails when on-call applies the rendered overlay as themselves: every object is refused', async () => {
    // when
    const run = kubectl(applyArgs('apply', ['--dry-run=server']));
    // then
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`User "${oncall.user}" cannot`);
    for (const object of rendered) expect(await exists(object)).toBe(false);
  });

  test('kubectl diff as break-glass shows every object as new (exit code 1: differences)', () => {
    // when
    const run = kubectl(applyArgs('diff', BREAK_GLASS_FLAGS));
    // then
    expect(run.stderr).not.toMatch(/forbidden|error/i);
    expect(run.status).toBe(1);
    for (const object of rendered) expect(run.stdout).toContain(`name: ${object.metadata?.name}`);
  });

  test('kubectl apply as break-glass creates every object the prod overlay renders', async () => {
    // when
    const run = kubectl(applyArgs('apply', BREAK_GLASS_FLAGS));
    // then
    expect(run.stderr).not.toMatch(/forbidden|error/i);
    expect(run.status).toBe(0);
    const created = run.stdout.split('\n').filter((line) => line.endsWith(' created'));
    expect(created).toHaveLength(rendered.length);
    for (const object of rendered) {
      expect(created.some((line) => line.includes(`/${object.metadata?.name} created`))).toBe(true);
      const stored = await fixture.admin.get<ApiObject>(object);
      expect(`${stored.kind} ${stored.metadata?.namespace}/${stored.metadata?.name}`).toBe(
        `${object.kind} ${settings.namespace}/${object.metadata?.name}`,
      );
    }
  });

  test('the audit log names the on-call engineer and the break-glass identity for every object created', async () => {
    // given the API server's audit log
    const createdBy = (object: ApiObject, resource: string) => (event: AuditEvent) =>
      since(event) &&
      event.verb === 'create' &&
      !event.requestURI.includes('dryRun') && // kubectl diff's dry runs are creates too
      event.objectRef?.resource === resource &&
      event.objectRef?.namespace === settings.namespace &&
      (event.objectRef?.name ?? ((event.responseObject?.metadata ?? {}) as Nested).name) ===
        object.metadata?.name &&
      event.responseStatus?.code === 201;
    // when / then
    for (const object of rendered) {
      const event = await waitForAuditEvent(
        fixture.env.auditLog,
        `create ${describeObject(object)}`,
        createdBy(object, (await fixture.admin.resourceOf(object.apiVersion, object.kind)).name),
      );
      expect(event.level).toBe('RequestResponse');
      expect(event.user.username).toBe(oncall.user);
      expect(event.user.groups).toContain(settings.oncallGroup);
      expect(event.impersonatedUser?.username).toBe(settings.breakGlassUser);
      expect(event.impersonatedUser?.groups).toContain(settings.breakGlassGroup);
    }
  });

  test('kubectl diff afterwards shows nothing: production is what the pull request renders', () => {
    // when
    const run = kubectl(applyArgs('diff', BREAK_GLASS_FLAGS));
    // then
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  test('a second apply of a changed render patches the existing objects, as break-glass', async () => {
    // given the pull request now changes the Deployment's replicas
    const deployment = rendered.find((object) => object.kind === 'Deployment');
    if (!deployment) throw new Error('the prod overlays render no Deployment');
    const replicas = ((deployment.spec as Nested).replicas ?? 1) + 1;
    const changed = rendered.map((object) =>
      object === deployment ? { ...object, spec: { ...(object.spec as Nested), replicas } } : object,
    );
    writeFileSync(renderedFile, changed.map((object) => stringify(object)).join('---\n'));
    const mark = Date.now();
    // when
    const run = kubectl(applyArgs('apply', BREAK_GLASS_FLAGS));
    // then
    expect(run.stderr).not.toMatch(/forbidden|error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`/${deployment.metadata?.name} configured`));
    const stored = await fixture.admin.get<Nested>(deployment);
    expect(stored.spec.replicas).toBe(replicas);
    const event = await waitForAuditEvent(
      fixture.env.auditLog,
      `patch ${describeObject(deployment)}`,
      (e) =>
        Date.parse(e.requestReceivedTimestamp) >= mark - 1000 &&
        e.verb === 'patch' &&
        e.objectRef?.resource === 'deployments' &&
        e.objectRef?.name === deployment.metadata?.name &&
        e.responseStatus?.code === 200,
    );
    expect(event.user.username).toBe(oncall.user);
    expect(event.impersonatedUser?.username).toBe(settings.breakGlassUser);
  });
});
