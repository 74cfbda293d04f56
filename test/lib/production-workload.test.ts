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
        { allowedRegistries: ['ghcr.io/acme/'], shaTagLength: 7, catalog: { [image.repository]: image.tag } },
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
});
