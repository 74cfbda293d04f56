import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, ClusterClient, apiErrorOf } from '../cluster/support/cluster-client';
import { clusterTestEnv } from '../cluster/support/cluster-env';
import { kubectlWith } from '../cluster/support/kubectl';
import {
  CLUSTER_MANIFESTS,
  adminClient,
  generatedClusterObjects,
  liveObject,
  removeGeneratedObjects,
} from './support/cluster-objects';
import { PulumiWorkspace } from './support/pulumi-workspace';
import { clusterOnlyConfig } from './support/stack-configs';

// The issue's failure: the cluster objects already exist, applied by `kubectl apply --server-side -k
// infra/cluster/manifests` (field manager "kubectl"), before the first `pulumi up`.

const POLICY = (): ApiObject => {
  const found = generatedClusterObjects().find((o) => o.kind === 'ValidatingAdmissionPolicy');
  if (!found) throw new Error(`no ValidatingAdmissionPolicy in ${CLUSTER_MANIFESTS}`);
  return found;
};

/** The field managers of a live object, each with the top-level `spec` fields it owns. */
async function specOwners(client: ClusterClient, ref: ApiObject): Promise<Record<string, string[]>> {
  const live = await liveObject(client, ref);
  const entries = (live?.metadata?.managedFields ?? []) as {
    manager: string;
    fieldsV1?: { 'f:spec'?: Record<string, unknown> };
  }[];
  return Object.fromEntries(
    entries
      .filter((entry) => entry.fieldsV1?.['f:spec'])
      .map((entry) => [entry.manager, Object.keys(entry.fieldsV1?.['f:spec'] ?? {}).sort()]),
  );
}

/** `kubectl apply --server-side -k infra/cluster/manifests` with the pinned kubectl. */
function kubectlApplyGenerated(): void {
  const env = clusterTestEnv();
  const kubectl = kubectlWith(env.kubeconfig, mkdtempSync(join(env.scratch, 'kubectl-cache-')));
  const run = kubectl(['apply', '--server-side', '-k', CLUSTER_MANIFESTS]);
  if (run.status !== 0) throw new Error(`kubectl apply --server-side failed:\n${run.stderr}`);
}

let client: ClusterClient;

beforeAll(() => {
  client = adminClient();
});

describe('adopting objects applied by kubectl before the first pulumi up (real engine, real provider)', () => {
  test('the conflict is real: a second field manager applying the same policy is refused on .spec.matchConstraints', async () => {
    // given the objects as kubectl applied them
    await removeGeneratedObjects(client);
    kubectlApplyGenerated();
    // when another manager applies the very same object, without force
    const error = await apiErrorOf(
      client.request({
        method: 'PATCH',
        path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/production-image-registry',
        query: { fieldManager: 'someone-else', dryRun: 'All' },
        body: POLICY(),
        contentType: 'application/apply-patch+yaml',
      }),
    );
    // then: matchConstraints is an atomic struct, and the server defaulted fields inside it
    expect(error.status).toBe(409);
    expect(error.body.message).toContain('.spec.matchConstraints');
  });

  test('without the takeover (a copy of the program without takeOverFields), up fails as the issue reported', async () => {
    // given
    await removeGeneratedObjects(client);
    kubectlApplyGenerated();
    const workspace = new PulumiWorkspace({
      stack: 'engine-no-force',
      config: clusterOnlyConfig(),
      edits: { 'stacks/production.ts': (text) => text.replace(', takeOverFields: true }', ' }') },
    });
    // when
    const up = workspace.run(['up', '--yes', '--skip-preview']);
    // then
    expect(up.status).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/Server-Side Apply field conflict/);
    // (the engine stops at the first of the two, the policy or its binding)
    expect(up.stdout + up.stderr).toMatch(
      /conflict with "kubectl": \.spec\.(matchConstraints|matchResources)/,
    );
  });

  test('the program takes the fields over: up succeeds, and preview --expect-no-changes passes after it', async () => {
    // given
    await removeGeneratedObjects(client);
    kubectlApplyGenerated();
    expect(Object.keys(await specOwners(client, POLICY()))).toEqual(['kubectl']);
    const workspace = new PulumiWorkspace({ stack: 'engine-adopt', config: clusterOnlyConfig() });
    // when
    workspace.must(['up', '--yes', '--skip-preview']);
    const check = workspace.run(['preview', '--expect-no-changes']);
    // then: the program's field manager holds the policy's spec, kubectl holds nothing of it any more
    const owners = await specOwners(client, POLICY());
    const managers = Object.keys(owners);
    expect(managers.filter((manager) => manager !== 'kubectl')).toHaveLength(1);
    const pulumiManager = managers.find((manager) => manager !== 'kubectl') ?? '';
    expect(pulumiManager).toMatch(/^pulumi-kubernetes/);
    expect(owners[pulumiManager]).toEqual(
      expect.arrayContaining(['f:failurePolicy', 'f:matchConstraints', 'f:validations', 'f:variables']),
    );
    expect(owners.kubectl ?? []).not.toContain('f:matchConstraints');
    expect(check.status).toBe(0);
  });
});
