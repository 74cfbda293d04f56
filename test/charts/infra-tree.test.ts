import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { policyOptions } from '../../charts/policy-options';
import { IMAGE_PINS_FILE, INFRA_DIR, K8S_DIR, baseDir, overlayDir } from '../../charts/paths';
import { shaTagLength } from '../../charts/config';
import { production } from '../../charts/environments';
import { ImageName, imageRepositories } from '../../charts/images';
import { KubeObject, evaluatePolicy, podSpecOf, shaTagPattern } from '../../lib';
import { validateKubernetesSchema } from '../helpers/kubernetes-schema';
import { maskRoutineValues } from '../helpers/routine-values';
import { renderWithRoutineChanges } from '../helpers/routine-changes';
import { REPO_ROOT } from '../helpers/tools';

const model = buildModel();
const tree = renderInfra(model);
const k8sFiles = Object.keys(tree).filter((path) => path.startsWith(`${K8S_DIR}/`));
/**
 * The files snapshots record, named: the objects of the first catalog entry and the namespace baseline.
 * A new service adds files and entries in kustomizations' lists (test/docs/adding-a-service.test.ts
 * asserts those), so it needs no snapshot update.
 */
const RECORDED = [
  'README.md',
  ...['configmap-app-config', 'cronjob-backend-cleanup', 'deployment-backend', 'ingress-backend']
    .concat(['networkpolicy-backend-allow-ingress-controller', 'service-backend', 'serviceaccount-backend'])
    .map((name) => `backend/base/${name}.yaml`),
  'backend/overlays/prod/kustomization.yaml',
  ...['configmap-app-config', 'deployment-backend', 'ingress-backend'].map(
    (name) => `backend/overlays/prod/patches/${name}.yaml`,
  ),
  'backend/overlays/prod/resources/poddisruptionbudget-backend.yaml',
  'baseline/base/networkpolicy-default-deny.yaml',
  'baseline/overlays/prod/kustomization.yaml',
].map((path) => `${K8S_DIR}/${path}`);
const snapshotted = k8sFiles.filter((path) => RECORDED.includes(path));
const imagesOf = (object: KubeObject): string[] => {
  const pod = podSpecOf(object);
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map(
    (container) => container.image ?? '',
  );
};

describe('generated infra/k8s', () => {
  test.each(snapshotted)('%s matches its snapshot (routine values masked)', (path) => {
    expect(maskRoutineValues(path, tree[path])).toMatchSnapshot();
  });

  test('every recorded file is generated', () => {
    expect(snapshotted).toHaveLength(RECORDED.length);
  });

  test('a release, a scaling change and a config or resources change leave every snapshot as it is', () => {
    // given: the routine changes the policy document itself makes ("5 replicas for Black Friday")
    const changed = renderWithRoutineChanges();
    // then: the files differ, their masked forms do not
    expect(snapshotted.filter((path) => changed[path] !== tree[path]).length).toBeGreaterThan(0);
    for (const path of snapshotted)
      expect(maskRoutineValues(path, changed[path])).toBe(maskRoutineValues(path, tree[path]));
  });

  test('fails: the mask hides only routine values, a change of shape still shows', () => {
    // given
    const path = `${baseDir('backend')}/deployment-backend.yaml`;
    const edited = tree[path].replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    // then
    expect(edited).not.toBe(tree[path]);
    expect(maskRoutineValues(path, edited)).not.toBe(maskRoutineValues(path, tree[path]));
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
    // given: base objects get their namespace from the overlays' kustomizations, as the policy CLI reads them
    const objects = [
      ...model.base.map((object) => ({ object, namespacedBy: 'an overlay kustomization' })),
      ...model.prod.map((object) => ({ object })),
    ];
    // then
    expect(evaluatePolicy(objects, policyOptions)).toEqual([]);
  });

  test('every generated object validates against the Kubernetes schema', () => {
    // given
    const baseFiles = k8sFiles.filter(
      (path) => /^k8s\/[^/]+\/base\//.test(path) && !path.endsWith('/kustomization.yaml'),
    );
    expect(baseFiles.length).toBeGreaterThan(0);
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
    expect(model.prod.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(
      expect.arrayContaining([
        'ConfigMap/app-config',
        'CronJob/backend-cleanup',
        'Deployment/backend',
        'Ingress/backend',
        'NetworkPolicy/backend-allow-ingress-controller',
        'NetworkPolicy/default-deny',
        'PodDisruptionBudget/backend',
        'Service/backend',
        'ServiceAccount/backend',
      ]),
    );
    for (const object of model.prod) expect(object.metadata?.namespace).toBe('production');
  });

  test("every container of a service's workloads runs that service's one pinned image", () => {
    // given
    const workloadsOf = (component: string): KubeObject[] =>
      model.deployed.prod[component].filter((object) => podSpecOf(object));
    // then
    expect(
      workloadsOf('backend')
        .map((object) => object.kind)
        .sort(),
    ).toEqual(['CronJob', 'Deployment']);
    expect(workloadsOf('baseline')).toEqual([]);
    for (const component of model.components.filter((name) => name !== 'baseline')) {
      for (const object of workloadsOf(component)) {
        expect(imagesOf(object)).toEqual([model.images[component].reference]);
      }
    }
  });

  test('each pin in the release file is a sha- tag of CI length, and production runs only pinned images', () => {
    // given: the file as a release writes it, not the code's view of it
    const pins = JSON.parse(readFileSync(join(REPO_ROOT, IMAGE_PINS_FILE), 'utf8')) as Record<string, string>;
    const pinned = Object.entries(pins).map(
      ([name, tag]) => `${imageRepositories[name as ImageName]}:${tag}`,
    );
    const running = model.prod.flatMap(imagesOf);
    // then
    expect(Object.keys(pins).sort()).toEqual(Object.keys(imageRepositories).sort());
    for (const tag of Object.values(pins)) expect(tag).toMatch(shaTagPattern(shaTagLength));
    expect(running.length).toBeGreaterThan(0);
    for (const image of running) expect(pinned).toContain(image);
  });

  test('the overlay pins exactly the catalog images, and each pin matches a base container', () => {
    // given
    const kustomization = parse(tree[`${overlayDir('backend', 'prod')}/kustomization.yaml`]);
    const baseImages = model.base.flatMap(imagesOf);
    // then
    expect(kustomization.images).toEqual([
      { name: model.images.backend.repository, newTag: model.images.backend.tag },
    ]);
    for (const pin of kustomization.images) {
      expect(baseImages.some((image) => image.startsWith(`${pin.name}:`))).toBe(true);
    }
  });

  test('production survives a voluntary disruption: more than one replica, and the PDB keeps one serving', () => {
    // given
    const [deployment] = byKind('Deployment');
    const [budget] = byKind('PodDisruptionBudget');
    const replicas = (deployment.spec as { replicas: number }).replicas;
    const { minAvailable, maxUnavailable } = budget.spec as Record<string, number | string | undefined>;
    // then
    expect(replicas).toBeGreaterThanOrEqual(2);
    if (typeof minAvailable === 'number') expect(minAvailable).toBeLessThan(replicas);
    else expect(maxUnavailable ?? minAvailable).toBeDefined();
  });

  test('prod and the base differ only in replicas, resources, config values, namespace, hosts and budgets', () => {
    // given: the environment's namespace and hosts undone, and the budget only a replicated workload has
    const neutral = model.prod
      .filter((object) => object.kind !== 'PodDisruptionBudget')
      .map((object) => {
        const { namespace, ...metadata } = object.metadata ?? {};
        expect(namespace).toBe(production.namespace);
        const text = JSON.stringify({ ...object, metadata })
          .replaceAll(`api.${production.domain}`, 'api')
          .replaceAll(`api-${production.tlsSecretSuffix}`, 'api-tls');
        return JSON.parse(text) as KubeObject;
      });
    const masked = (objects: KubeObject[]): string[] =>
      objects.map((object) => maskRoutineValues('object.yaml', stringify(object))).sort();
    // then: with what the overlay may patch masked, base and prod are the same objects
    expect(masked(neutral)).toEqual(masked(model.base));
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
