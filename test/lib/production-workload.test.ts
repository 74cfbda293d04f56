import { Chart, Size, Testing } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import {
  CONFIG_CHECKSUM_ANNOTATION,
  KubeObject,
  PinnedImage,
  ProductionWorkload,
  ProductionWorkloadProps,
  evaluatePolicy,
} from '../../lib';

const image: PinnedImage = {
  name: 'app',
  repository: 'ghcr.io/acme/app',
  tag: 'sha-0a1b2c3',
  reference: 'ghcr.io/acme/app:sha-0a1b2c3',
};
const policyOptions = {
  allowedRegistries: ['ghcr.io/acme/'],
  shaTagLength: 7,
  catalog: { [image.repository]: image.tag },
};
const resources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(200),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(128),
};

function synth(
  config: Record<string, string>,
  overrides: Partial<ProductionWorkloadProps> = {},
): KubeObject[] {
  const chart = new Chart(Testing.app(), 'Test', { disableResourceNameHashes: true });
  const configMap = new k8s.KubeConfigMap(chart, 'Config', {
    metadata: { name: 'cfg', namespace: 'ns' },
    data: config,
  });
  const workload = new ProductionWorkload(chart, 'App', {
    name: 'app',
    namespace: 'ns',
    image,
    containerPort: 8080,
    replicas: 2,
    resources,
    readiness: { path: '/readyz' },
    liveness: { path: '/healthz' },
    configMaps: [configMap],
    ...overrides,
  });
  workload.addCronJob('Nightly', { name: 'app-nightly', schedule: '0 1 * * *', command: ['run'], resources });
  workload.addJob('Migrate', { name: 'app-migrate', command: ['migrate'], resources });
  return Testing.synth(chart);
}

interface DeploymentShape {
  spec: { template: { metadata: { annotations: Record<string, string> } } };
}

describe('ProductionWorkload', () => {
  test('renders objects that satisfy every policy rule with no extra settings', () => {
    // when
    const objects = synth({ A: '1' });
    // then
    expect(
      evaluatePolicy(
        objects.map((object) => ({ object })),
        policyOptions,
      ),
    ).toEqual([]);
    expect(objects.map((object) => object.kind).sort()).toEqual([
      'ConfigMap',
      'CronJob',
      'Deployment',
      'Job',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
  });

  test('runs the Deployment, CronJobs and Jobs on the one catalog image', () => {
    // when
    const text = JSON.stringify(synth({ A: '1' }));
    // then
    expect(text.match(/"image":"[^"]+"/g)).toEqual(Array(3).fill(`"image":"${image.reference}"`));
  });

  test('rolls the pods when the config changes', () => {
    // given
    const checksum = (config: Record<string, string>): string =>
      (synth(config).find((o) => o.kind === 'Deployment') as unknown as DeploymentShape).spec.template
        .metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    // then
    expect(checksum({ A: '1' })).toBe(checksum({ A: '1' }));
    expect(checksum({ A: '1' })).not.toBe(checksum({ A: '2' }));
  });

  test('fails on zero replicas, naming the construct and the value', () => {
    expect(() => synth({}, { replicas: 0 })).toThrow(
      'Test/App: replicas must be a whole number of at least 1, got 0',
    );
  });

  test('one replica gets no PodDisruptionBudget: a budget of one pod would block every node drain', () => {
    expect(synth({}, { replicas: 1 }).map((object) => object.kind)).not.toContain('PodDisruptionBudget');
    expect(synth({}, { replicas: 2 }).map((object) => object.kind)).toContain('PodDisruptionBudget');
  });
});

describe('ProductionWorkload as a worker (no containerPort)', () => {
  const worker = (overrides: Partial<ProductionWorkloadProps> = {}): KubeObject[] =>
    synth(
      {},
      {
        containerPort: undefined,
        readiness: undefined,
        liveness: { command: ['/app/worker', 'healthcheck'] },
        ...overrides,
      },
    );

  test('has no Service and no port, and is probed by its command for liveness and readiness', () => {
    const objects = worker();
    expect(objects.map((object) => object.kind)).not.toContain('Service');
    const deployment = objects.find((object) => object.kind === 'Deployment');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const [container] = (deployment?.spec as any).template.spec.containers;
    expect(container.ports).toBeUndefined();
    expect(container.livenessProbe.exec).toEqual({ command: ['/app/worker', 'healthcheck'] });
    expect(container.readinessProbe).toEqual(container.livenessProbe);
    expect(
      evaluatePolicy(
        objects.map((object) => ({ object })),
        policyOptions,
      ),
    ).toEqual([]);
  });

  test.each<[string, Partial<ProductionWorkloadProps>, RegExp]>([
    [
      'an HTTP liveness probe',
      { liveness: { path: '/healthz' } },
      /a worker \(no containerPort\) has no port to probe over HTTP/,
    ],
    [
      'an HTTP readiness probe',
      { readiness: { path: '/readyz' } },
      /a worker \(no containerPort\) has no port to probe over HTTP/,
    ],
    ['an empty liveness command', { liveness: { command: [] } }, /the liveness command is empty/],
    [
      'an Ingress',
      {
        ingress: {
          host: 'w.example.com',
          tlsSecretName: 't',
          className: 'nginx',
          controllerNamespace: 'ingress',
        },
      },
      /a worker listens on no port and cannot be exposed/,
    ],
  ])('fails with %s, naming the fix', (_what, overrides, message) => {
    expect(() => worker(overrides)).toThrow(message);
  });

  test('fails: an HTTP workload with a command liveness probe', () => {
    expect(() => synth({}, { liveness: { command: ['true'] } })).toThrow(
      /needs an HTTP readiness and liveness probe/,
    );
  });
});
