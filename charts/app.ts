import { relative } from 'node:path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  FileTree,
  apiObjectsOf,
  ImageCatalog,
  KubeObject,
  enforcePolicy,
  prefixTree,
  renderArgoCdTree,
  renderBase,
  renderOverlay,
  SealedValueSource,
  validateApp,
} from '../lib';
import { SEALED_SECRETS_NAMESPACE } from '../lib/access';
import { ArgoCdChart } from './argocd-chart';
import { ARGOCD_README } from './argocd-readme';
import { BASELINE, EnvironmentChart } from './environment-chart';
import { argocd as argocdSettings } from './config';
import { EnvironmentDeclaration, IN_CLUSTER } from './environment-declaration';
import { environments as declaredEnvironments, production } from './environments';
import { Identities, committedIdentities } from './identities';
import { ImagePins, catalogOf, images } from './images';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS, K8S_DIR, PREVIEW_DIR, baseDir, overlayDir } from './paths';
import { policyOptionsFor } from './policy-options';
import { PREVIEW_NAMESPACE, PreviewOverlayChart } from './preview-overlay-chart';
import { committedSealedValues, committedSealingClusters } from './sealed-values';
import { ARGOCD_SEALED, checkSealedTargetsDistinct, sealedTargetsOf } from './sealed-targets';
import { ServiceDeclaration } from './service-declaration';
import { services as catalog } from './services';

export interface ModelOptions {
  /**
   * The pins to render with: `npm run release` renders with the new pins before it writes anything.
   * @default - the release file, `charts/image-pins.json`
   */
  readonly imagePins?: ImagePins;
  /**
   * The service catalog.
   * @default - `services` of charts/services.ts
   */
  readonly services?: readonly ServiceDeclaration[];
  /**
   * The deployed environments.
   * @default - `environments` of charts/environments.ts
   */
  readonly environments?: readonly EnvironmentDeclaration[];
  /**
   * Who is who in ArgoCD's RBAC.
   * @default - the identities of the committed stack file, Pulumi.prod.yaml
   */
  readonly identities?: Identities;
  /**
   * Where the sealed values of the services' secrets are read from, per environment.
   * @default - the files of charts/sealed-secrets/ (`npm run seal` writes them)
   */
  readonly sealedValues?: SealedValueSource;
  /**
   * The clusters whose sealing certificate is committed: there, every Ingress certificate and ArgoCD's
   * Secrets need sealed values too.
   * @default - the clusters of charts/sealing-certificates/<cluster>.pem
   */
  readonly sealingClusters?: readonly string[];
}

export interface ProductionModel {
  readonly app: App;
  /** The images every workload of the model runs. */
  readonly images: ImageCatalog<string>;
  /** The baseline, then each service: each has a base, and an overlay and Application per environment. */
  readonly components: readonly string[];
  /** The deployed environments. */
  readonly environments: readonly EnvironmentDeclaration[];
  /** Environment-neutral objects of each component (no namespace): its kustomize base. */
  readonly bases: Readonly<Record<string, KubeObject[]>>;
  /** What each environment runs, by environment name, then by component. */
  readonly deployed: Readonly<Record<string, Readonly<Record<string, KubeObject[]>>>>;
  /** Every base object, all components together: what a preview runs. */
  readonly base: KubeObject[];
  /** What production (the environment `production` of charts/environments.ts) runs, all components together. */
  readonly prod: KubeObject[];
  /** What a preview adds to the bases: its Namespace. */
  readonly previewNamespace: KubeObject[];
  /** ArgoCD's Applications, projects, ApplicationSet and settings. */
  readonly argocd: KubeObject[];
}

/** The folder name of the previews' kustomization, beside the components' folders. */
const PREVIEW_COMPONENT = PREVIEW_DIR.split('/').pop();

/** The namespace the base is built in before its objects lose it: the base names no environment. */
const BASE_BUILD_NAMESPACE = 'base';

const metadataWithoutNamespace = ({
  namespace: _namespace,
  ...metadata
}: NonNullable<KubeObject['metadata']>) => metadata;
const withoutNamespace = (object: KubeObject): KubeObject => ({
  ...object,
  metadata: metadataWithoutNamespace(object.metadata ?? {}),
});

const objectsOf = (chart: IConstruct): KubeObject[] => apiObjectsOf(chart).map(({ object }) => object);

/** Builds every chart, with the policy enforced, and synthesizes them. Throws on any violation. */
export function buildModel(options: ModelOptions = {}): ProductionModel {
  const services = options.services ?? catalog;
  const environments = options.environments ?? declaredEnvironments;
  const names = environments.map((environment) => environment.name);
  const taken = names.find(
    (name, index) => names.indexOf(name) !== index || name === 'base' || name === ARGOCD_SEALED,
  );
  if (taken !== undefined) {
    throw new Error(
      `environments (charts/environments.ts): the name "${taken}" is taken; give each environment its own name (not "base", the base's, nor "${ARGOCD_SEALED}", the folder of ArgoCD's sealed values)`,
    );
  }
  for (const [name, owner] of [
    [PREVIEW_COMPONENT, `the previews' folder (infra/${PREVIEW_DIR})`],
    [ARGOCD_SEALED, "ArgoCD's own Secrets (npm run seal -- argocd ...)"],
  ]) {
    if (services.some((service) => service.name === name)) {
      throw new Error(
        `service "${name}" (charts/services.ts): the name is taken by ${owner}; give the service another name`,
      );
    }
  }
  for (const environment of environments) {
    const namespace = environment.namespace;
    if (
      [argocdSettings.namespace, SEALED_SECRETS_NAMESPACE, 'default'].includes(namespace) ||
      namespace.startsWith('kube-')
    ) {
      throw new Error(
        `environment "${environment.name}" (charts/environments.ts): namespace "${namespace}" is the platform's (ArgoCD, the Sealed Secrets controller, Kubernetes itself): an environment there would run beside their Secrets. Fix: give the environment a namespace of its own`,
      );
    }
  }
  const servers = new Map<string, string>();
  for (const cluster of environments.map((environment) => environment.cluster ?? IN_CLUSTER)) {
    const named = servers.get(cluster.server);
    if (named !== undefined && named !== cluster.name) {
      throw new Error(
        `environments (charts/environments.ts): clusters "${named}" and "${cluster.name}" are one API server (${cluster.server}): one cluster, one name, or their namespaces and Secrets would be checked apart. Fix: give the environments one cluster name`,
      );
    }
    servers.set(cluster.server, cluster.name);
  }
  checkSealedTargetsDistinct(sealedTargetsOf(services, environments));
  if (options.services && !options.imagePins) {
    throw new Error('buildModel: a catalog other than charts/services.ts needs its imagePins');
  }
  const imageCatalog: ImageCatalog<string> =
    options.imagePins === undefined ? images : catalogOf(options.imagePins, services);
  const app = new App({ outdir: '.cdk8s.out' });
  const baseChart = new EnvironmentChart(app, 'base', {
    services,
    images: imageCatalog,
    namespace: BASE_BUILD_NAMESPACE,
    settings: 'base',
  });
  const components = baseChart.componentNames;
  const bases = Object.fromEntries(
    components.map((component) => [component, baseChart.objectsOf(component).map(withoutNamespace)]),
  );
  const sealedValues = options.sealedValues ?? committedSealedValues();
  const sealingClusters = options.sealingClusters ?? committedSealingClusters();
  const deployed = Object.fromEntries(
    environments.map((environment) => {
      const chart = new EnvironmentChart(app, environment.name, {
        services,
        images: imageCatalog,
        namespace: environment.namespace,
        settings: environment.settings ?? environment.name,
        hosts: environment,
        sealedValues: {
          environment,
          source: sealedValues,
          sealingClusters,
        },
      });
      return [environment.name, Object.fromEntries(components.map((c) => [c, chart.objectsOf(c)]))];
    }),
  );
  const previewNamespace = new PreviewOverlayChart(app, 'Preview');
  const base = components.flatMap((component) => bases[component]);
  const prod = Object.values(deployed[production.name] ?? {}).flat();
  const argocd = new ArgoCdChart(app, 'ArgoCd', {
    environments,
    components,
    deployed,
    base,
    images: Object.values(imageCatalog).map((image) => image.repository),
    identities: options.identities ?? committedIdentities(),
    sealedValues,
    sealingClusters,
  });
  enforcePolicy(app, policyOptionsFor(imageCatalog, environments));
  validateApp(app);
  return {
    app,
    images: imageCatalog,
    components,
    environments,
    bases,
    deployed,
    base,
    prod,
    // Not Chart.toJson(): each call validates the whole app again, the policy included.
    previewNamespace: objectsOf(previewNamespace),
    argocd: objectsOf(argocd),
  };
}

const K8S_README = `# infra/k8s (generated)

Written by \`npm run synth\` from \`charts/\` and \`lib/\`. Do not edit these files: change the TypeScript
and re-run synth. CI fails when this folder differs from what the code generates.

- \`<component>/base/\`: the environment-neutral manifests of a service (or of \`${BASELINE}\`, what
  every namespace holds), a kustomize base without namespace or environment host.
- \`<component>/overlays/<environment>/\`: that environment; \`kustomize build\` of it renders what its
  ArgoCD Application applies.
- \`preview/\`: every base plus a Namespace; each pull-request preview renders it into its own namespace.
`;

/** Every file synth writes below \`infra/\`, keyed by path relative to it. */
export function renderInfra(model: ProductionModel = buildModel()): FileTree {
  const images = Object.values(model.images);
  const overlays = model.environments.flatMap((environment) =>
    model.components.map((component) => {
      const dir = overlayDir(component, environment.name);
      const base = model.bases[component];
      const serialized = JSON.stringify(base);
      return prefixTree(
        dir,
        renderOverlay({
          base,
          target: model.deployed[environment.name][component].map(withoutNamespace),
          basePath: relative(dir, baseDir(component)),
          namespace: environment.namespace,
          images: images.filter((image) => serialized.includes(`"image":"${image.repository}:`)),
          source: 'charts/environments.ts',
        }),
      );
    }),
  );
  const [first, ...rest] = model.components.map((component) => relative(PREVIEW_DIR, baseDir(component)));
  return {
    [`${K8S_DIR}/README.md`]: K8S_README,
    ...Object.assign(
      {},
      ...model.components.map((component) =>
        prefixTree(baseDir(component), renderBase(model.bases[component], 'charts/services.ts')),
      ),
    ),
    ...Object.assign({}, ...overlays),
    ...prefixTree(
      PREVIEW_DIR,
      renderOverlay({
        base: model.base,
        target: [...model.base, ...model.previewNamespace],
        basePath: first,
        extraBasePaths: rest,
        // Replaced by each preview's own (the ApplicationSet's kustomize.namespace), which also names the Namespace.
        namespace: PREVIEW_NAMESPACE,
        images: [],
        source: 'charts/preview-overlay-chart.ts',
      }),
    ),
    [`${ARGOCD_DIR}/README.md`]: ARGOCD_README,
    ...prefixTree(ARGOCD_DIR, renderArgoCdTree(model.argocd, ARGOCD_KIND_DIRS, 'charts/argocd-chart.ts')),
  };
}
