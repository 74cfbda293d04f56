import { production } from '../../charts/environments';
import { ApiObject, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { describeGenerated, generatedManifestSets } from './support/generated-manifests';
import { edited, podFrom, podTemplateOf, Nested } from './support/workload-pod';

const prod = generatedManifestSets().find((s) => s.name === PROD_SET);
const workloads = (prod?.objects ?? []).filter(({ object }) => podTemplateOf(object) !== undefined);

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

/** Every container of a pod spec: the restricted profile checks each of them. */
const containersOf = (pod: Nested): Nested[] => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];

/** One way to break the restricted profile each, applied to a pod of our own Deployment. */
const VIOLATIONS: readonly [string, (pod: Nested) => void][] = [
  [
    'runs a privileged container',
    (pod) =>
      Object.assign(pod.spec.containers[0].securityContext, {
        privileged: true,
        allowPrivilegeEscalation: true,
      }),
  ],
  [
    'allows privilege escalation',
    (pod) => (pod.spec.containers[0].securityContext.allowPrivilegeEscalation = true),
  ],
  [
    'runs as root',
    (pod) => {
      pod.spec.securityContext = { ...pod.spec.securityContext, runAsNonRoot: false, runAsUser: 0 };
      for (const c of containersOf(pod)) delete c.securityContext.runAsNonRoot;
    },
  ],
  [
    'has no seccomp profile',
    (pod) => {
      delete pod.spec.securityContext.seccompProfile;
      for (const c of containersOf(pod)) delete c.securityContext.seccompProfile;
    },
  ],
  [
    'adds a capability',
    (pod) => (pod.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }),
  ],
  ['uses the host network', (pod) => (pod.spec.hostNetwork = true)],
  [
    'mounts a hostPath volume',
    (pod) => pod.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }),
  ],
];

describe(`Pod Security "restricted" in ${production.namespace}`, () => {
  test('the namespace on the server enforces, audits and warns with the restricted profile', async () => {
    // when reading the namespace back from the API server
    const namespace = await fixture.admin.get<Nested>({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: production.namespace },
    });

    // then
    const labels = namespace.metadata.labels as Record<string, string>;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
    }
  });

  test('the production overlay has workloads to check', () => {
    expect(workloads.length).toBeGreaterThan(0);
  });

  test.each(workloads.map((w) => [describeGenerated(w), w.object] as const))(
    'a pod of %s is admitted, without warnings',
    async (_description, workload) => {
      // given the pod its controller would create
      const pod = podFrom(workload, `${workload.metadata?.name}-pss-probe`);

      // when
      const response = await fixture.admin.create(pod, { dryRun: true });

      // then
      expect(response.status).toBe(201);
      expect(response.warnings).toEqual([]);
    },
  );

  const deployment = (): ApiObject => {
    const found = workloads.find(({ object }) => object.kind === 'Deployment');
    if (!found) throw new Error(`${PROD_SET} renders no Deployment`);
    return found.object;
  };

  test.each(VIOLATIONS)('fails to admit a pod that %s', async (_what, edit) => {
    // given a pod of our Deployment, broken in one way
    const pod = edited(podFrom(deployment(), 'pss-violation'), edit);

    // when
    const error = await apiErrorOf(fixture.admin.create(pod, { dryRun: true }));

    // then Pod Security admission refuses it
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/violates PodSecurity "restricted:v1\.\d+"/);
  });

  test('warns when a workload template would break the profile, before any pod exists', async () => {
    // given our Deployment whose template uses the host network
    const object = edited(deployment(), (d) => {
      d.spec.template.spec.hostNetwork = true;
    });

    // when
    const response = await fixture.admin.dryRunCreateOrReplace(object);

    // then the workload is stored (enforcement is on pods) but the server warns
    expect(response.warnings.join('\n')).toMatch(/would violate PodSecurity "restricted:v1\.\d+"/);
  });
});
