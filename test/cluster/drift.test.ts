/**
 * `npm run drift` against the real API server: production's objects created the way ArgoCD's sync
 * creates them (client-side apply with ArgoCD's field manager and tracking annotation), then changed by
 * hand with the real kubectl in the ways self-heal does not see. drift must report nothing on the clean
 * sync, then name each hand change with the manager the API server recorded.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS, INFRA_DIR } from '../../charts/paths';
import { driftScopeOf } from '../../lib/drift/drift-scope';
import { DriftFinding } from '../../lib/drift/find-drift';
import { TRACKING_ID_ANNOTATION } from '../../lib/drift/tracking-id';
import { groupOf } from '../../lib/manifest/api-group';
import { loadManifests } from '../../lib/policy/load-manifests';
import { describeObject } from '../../lib/manifest/object-id';
import { ApiError, ApiObject } from './support/cluster-client';
import { ClusterFixture, PROD_SET, eventually } from './support/cluster-fixture';
import { REPO_ROOT } from './support/generated-manifests';
import { Kubectl, KubectlRun, kubectlWith } from './support/kubectl';
import { Nested } from './support/workload-pod';

/** ArgoCD v3.5.1's sync field manager (lib/drift/field-managers.ts says where in its source). */
const ARGOCD_MANAGER = 'argocd-controller';
const HAND_MADE = 'drift-test-hand-made';

let fixture: ClusterFixture;
let kubectl: Kubectl;
let rendered: ApiObject[];
let application: string;
let namespace: string;
let deployment: ApiObject;
let configMap: ApiObject;

/** `npm run drift` itself, as a person runs it, against the suite's API server. */
function drift(args: readonly string[]): KubectlRun {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(
    tsx,
    [join(REPO_ROOT, 'bin', 'drift.ts'), '--kubeconfig', fixture.env.kubeconfig, ...args],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 90_000 },
  );
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const findingsOf = (run: KubectlRun): DriftFinding[] => {
  try {
    return (JSON.parse(run.stdout) as { findings: DriftFinding[] }).findings;
  } catch {
    throw new Error(`drift printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
};

const exists = async (object: ApiObject): Promise<boolean> => {
  try {
    await fixture.admin.get(object);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
};

async function deleteAll(objects: readonly ApiObject[]): Promise<void> {
  for (const object of objects) {
    await fixture.admin.delete(object).catch((error) => {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    });
  }
  for (const object of objects) {
    await eventually(`${describeObject(object)} deleted`, 30, async () =>
      (await exists(object)) ? undefined : true,
    );
  }
}

/** What ArgoCD's sync sends: the object from Git with the tracking id its Application sets. */
const asArgoCdSyncs = (object: ApiObject): ApiObject => {
  const metadata = object.metadata ?? {};
  const id = `${application}:${groupOf(object.apiVersion)}/${object.kind}:${metadata.namespace}/${metadata.name}`;
  const annotations = {
    ...((metadata.annotations as Record<string, string>) ?? {}),
    [TRACKING_ID_ANNOTATION]: id,
  };
  return { ...object, metadata: { ...metadata, annotations } };
};

beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  const scratch = join(fixture.env.scratch, 'drift');
  mkdirSync(scratch, { recursive: true });
  kubectl = kubectlWith(fixture.env.kubeconfig, join(scratch, 'cache'));

  const applications = loadManifests([
    join(REPO_ROOT, INFRA_DIR, ARGOCD_DIR, ARGOCD_KIND_DIRS.Application),
  ]).map(({ object }) => object);
  namespace = driftScopeOf(applications).namespaces[0];
  const app = applications.find((a) => (a.spec as Nested | undefined)?.destination?.namespace === namespace);
  if (!app?.metadata?.name) throw new Error(`no generated Application deploys to ${namespace}`);
  application = app.metadata.name;

  rendered = fixture.set(PROD_SET).objects.map(({ object }) => object);
  const byKind = (kind: string): ApiObject => {
    const found = rendered.find((o) => o.kind === kind);
    if (!found) throw new Error(`the prod overlay renders no ${kind}`);
    return found;
  };
  deployment = byKind('Deployment');
  configMap = byKind('ConfigMap');

  // Production as a fresh ArgoCD sync leaves it: the fixture's objects (its own field manager) replaced
  // by ArgoCD's client-side apply, which is kubectl's apply code with ArgoCD's field manager.
  await deleteAll([
    ...rendered,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: HAND_MADE, namespace } },
  ]);
  const file = join(scratch, 'synced.yaml');
  writeFileSync(file, rendered.map((object) => stringify(asArgoCdSyncs(object))).join('---\n'));
  const sync = kubectl(['apply', `--field-manager=${ARGOCD_MANAGER}`, '-f', file]);
  if (sync.status !== 0) throw new Error(`kubectl apply as ArgoCD failed:\n${sync.stderr}`);

  // Earlier test files may leave objects of their own in production (break-glass.test.ts does): drift
  // names them, and they go, so that this file starts from a clean sync whatever ran before it.
  const leftovers = findingsOf(drift(['--json'])).filter((f) => f.field === undefined);
  const left: ApiObject[] = [
    ...new Map(leftovers.map((f) => [JSON.stringify(f.object), f.object])).values(),
  ].map(({ apiVersion, kind, namespace: ns, name }) => ({
    apiVersion,
    kind,
    metadata: { name, namespace: ns },
  }));
  if (left.length > 0)
    console.log(`drift: removing what earlier files left: ${left.map(describeObject).join(', ')}`);
  await deleteAll(left);
});

afterAll(async () => {
  // Back to the fixture's state, without the hand changes (a re-apply would keep fields it never set).
  if (!rendered) return;
  await deleteAll([
    ...rendered,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: HAND_MADE, namespace } },
  ]);
  for (const object of rendered) await fixture.admin.apply(object);
});

describe('npm run drift: hand changes ArgoCD cannot see, from managedFields', () => {
  test('a clean sync reports nothing and exits 0', () => {
    // when
    const json = drift(['--json']);
    const table = drift([]);
    // then
    expect(findingsOf(json)).toEqual([]);
    expect(json.status).toBe(0);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^no hand change/);
    expect(table.stderr).toContain(`0 finding(s)`);
    expect(table.stderr).toContain(namespace);
  });

  test('names each hand change made with kubectl, with the manager the API server recorded, and exits 1', () => {
    // given four hand changes: an env var, a ConfigMap key, a scale, an object ArgoCD does not track
    const container = (deployment.spec as Nested).template.spec.containers[0].name as string;
    const name = (object: ApiObject) => object.metadata?.name as string;
    const changes = [
      ['set', 'env', `deployment/${name(deployment)}`, 'DRIFT_TEST=1'],
      ['patch', 'configmap', name(configMap), '--type=merge', '-p', '{"data":{"DRIFT_TEST_KEY":"by hand"}}'],
      ['scale', `deployment/${name(deployment)}`, '--replicas=7'],
      ['create', 'configmap', HAND_MADE, '--from-literal=a=b'],
    ];
    for (const change of changes) {
      const run = kubectl(['-n', namespace, ...change]);
      expect(`${change.join(' ')}: ${run.stderr}`).toBe(`${change.join(' ')}: `);
    }
    // when
    const json = drift(['--json']);
    const table = drift([]);
    // then
    const found = findingsOf(json).map((f) => [
      f.object.kind,
      f.object.name,
      f.field ?? '(object)',
      f.manager,
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        [
          'Deployment',
          name(deployment),
          `spec.template.spec.containers[name="${container}"].env[name="DRIFT_TEST"]`,
          'kubectl-set',
        ],
        ['ConfigMap', name(configMap), 'data.DRIFT_TEST_KEY', 'kubectl-patch'],
        ['Deployment', name(deployment), 'spec.replicas', 'kubectl'],
        ['ConfigMap', HAND_MADE, '(object)', 'kubectl-create'],
      ]),
    );
    expect(found).toHaveLength(4);
    const scaled = findingsOf(json).find((f) => f.field === 'spec.replicas');
    expect([scaled?.operation, scaled?.subresource, scaled?.application]).toEqual([
      'Update',
      'scale',
      application,
    ]);
    expect(json.status).toBe(1);
    expect(table.status).toBe(1);
    for (const line of [
      /Deployment\.apps \S+\s+spec\.template\.spec\.containers\[name="[^"]+"\]\.env\[name="DRIFT_TEST"\]\s+kubectl-set\s+Update\s+\d{4}-/,
      /ConfigMap \S+\s+data\.DRIFT_TEST_KEY\s+kubectl-patch\s+Update/,
      /Deployment\.apps \S+\s+spec\.replicas\s+kubectl\s+Update \(scale\)/,
      new RegExp(`ConfigMap ${namespace}/${HAND_MADE}\\s+\\(whole object\\)\\s+kubectl-create`),
      new RegExp(`ConfigMap ${namespace}/${HAND_MADE}: not tracked by ArgoCD`),
    ]) {
      expect(table.stdout).toMatch(line);
    }
  });
});
