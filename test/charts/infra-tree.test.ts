import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { images } from '../../charts/images';
import { policyOptions } from '../../charts/policy-options';
import { INFRA_DIR, K8S_DIR } from '../../charts/paths';
import { KubeObject, evaluatePolicy, podSpecOf } from '../../lib';
import { validateKubernetesSchema } from '../helpers/kubernetes-schema';
import { REPO_ROOT } from '../helpers/tools';

const model = buildModel();
const tree = renderInfra(model);
const k8sFiles = Object.keys(tree).filter((path) => path.startsWith(`${K8S_DIR}/`));
const imagesOf = (object: KubeObject): string[] => {
  const pod = podSpecOf(object);
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map(
    (container) => container.image ?? '',
  );
};

describe('generated infra/k8s', () => {
  test.each(k8sFiles)('%s matches its snapshot', (path) => {
    expect(tree[path]).toMatchSnapshot();
  });

  test('every generated YAML file starts with the generated-file header', () => {
    for (const path of k8sFiles.filter((file) => file.endsWith('.yaml'))) {
      expect(tree[path]).toMatch(/^# Generated from charts\/\S+\.ts by `npm run synth`\. Do not edit/);
    }
  });

  test('rendering is deterministic', () => {
    // when
    const again = renderInfra(buildModel());
    // then
    expect(again).toEqual(tree);
  });

  test('the committed infra/k8s equals what the code generates', () => {
    // given
    const dir = join(REPO_ROOT, INFRA_DIR, K8S_DIR);
    const committed = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((entry) => entry.includes('.'))
      .map((entry) => `${K8S_DIR}/${entry}`);
    // then
    expect(committed.sort()).toEqual([...k8sFiles].sort());
    for (const path of k8sFiles)
      expect(readFileSync(join(REPO_ROOT, INFRA_DIR, path), 'utf8')).toBe(tree[path]);
  });

  test('base and prod have zero policy violations', () => {
    // given
    const objects = [...model.base, ...model.prod].map((object) => ({ object }));
    // then
    expect(evaluatePolicy(objects, policyOptions)).toEqual([]);
  });

  test('every generated object validates against the Kubernetes schema', () => {
    // given
    const baseFiles = k8sFiles.filter(
      (path) => path.startsWith(`${K8S_DIR}/base/`) && !path.endsWith('/kustomization.yaml'),
    );
    const written = baseFiles.filter((path) => path.endsWith('.yaml')).map((path) => parse(tree[path]));
    // then
    for (const object of [...written, ...model.prod])
      expect(() => validateKubernetesSchema(object)).not.toThrow();
  });

  test('the schema validation can fail', () => {
    // given
    const [deployment] = model.prod.filter((object) => object.kind === 'Deployment');
    const broken = { ...deployment, spec: { ...(deployment.spec as object), replicas: 'three' } };
    // then
    expect(() => validateKubernetesSchema(broken)).toThrow(/replicas/);
  });
});

describe('the production model', () => {
  const byKind = (kind: string): KubeObject[] => model.prod.filter((object) => object.kind === kind);

  test('contains the objects the policy names, all in namespace production', () => {
    // then
    expect(model.prod.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'ConfigMap/app-config',
      'CronJob/backend-cleanup',
      'Deployment/backend',
      'Ingress/backend',
      'NetworkPolicy/backend-allow-ingress-controller',
      'NetworkPolicy/default-deny',
      'PodDisruptionBudget/backend',
      'Service/backend',
      'ServiceAccount/backend',
    ]);
    for (const object of model.prod) expect(object.metadata?.namespace).toBe('production');
  });

  test('every container of every workload runs the one pinned backend image', () => {
    // given
    const workloads = model.prod.filter((object) => podSpecOf(object));
    // then
    expect(workloads.map((object) => object.kind).sort()).toEqual(['CronJob', 'Deployment']);
    for (const object of workloads) expect(imagesOf(object)).toEqual([images.backend.reference]);
  });

  test('the overlay pins exactly the catalog images, and each pin matches a base container', () => {
    // given
    const kustomization = parse(tree[`${K8S_DIR}/overlays/prod/kustomization.yaml`]);
    const baseImages = model.base.flatMap(imagesOf);
    // then
    expect(kustomization.images).toEqual([{ name: images.backend.repository, newTag: images.backend.tag }]);
    for (const pin of kustomization.images) {
      expect(baseImages.some((image) => image.startsWith(`${pin.name}:`))).toBe(true);
    }
  });

  test('prod differs from the base in replicas, resources and config only', () => {
    // given
    const [deployment] = byKind('Deployment');
    const [config] = byKind('ConfigMap');
    // then
    expect((deployment.spec as { replicas: number }).replicas).toBe(3);
    expect((config.data as Record<string, string>).LOG_LEVEL).toBe('info');
    const [baseDeployment] = model.base.filter((object) => object.kind === 'Deployment');
    expect((baseDeployment.spec as { replicas: number }).replicas).toBe(1);
  });

  test('pods are isolated by default and only the ingress controller may reach the backend', () => {
    // given
    const [deny, allow] = ['default-deny', 'backend-allow-ingress-controller'].map(
      (name) =>
        byKind('NetworkPolicy').find((policy) => policy.metadata?.name === name)?.spec as Record<
          string,
          unknown
        >,
    );
    // then
    expect(deny).toMatchObject({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(deny.ingress).toBeUndefined();
    expect(JSON.stringify(allow.ingress)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
  });
});
