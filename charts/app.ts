import { relative } from 'node:path';
import { App } from 'cdk8s';
import {
  FileTree,
  ImageCatalog,
  KubeObject,
  enforcePolicy,
  prefixTree,
  renderArgoCdTree,
  renderBase,
  renderOverlay,
  validateApp,
} from '../lib';
import { ArgoCdChart } from './argocd-chart';
import { ARGOCD_README } from './argocd-readme';
import { BackendChart } from './backend-chart';
import { PreviewOverlayChart } from './preview-overlay-chart';
import { ImageName } from './config';
import { policyOptionsFor } from './policy-options';
import { baseSettings, productionSettings } from './environments';
import { ImagePins, catalogOf, images } from './images';
import {
  ARGOCD_DIR,
  ARGOCD_KIND_DIRS,
  BASE_DIR,
  K8S_DIR,
  PREVIEW_OVERLAY_DIR,
  PROD_OVERLAY_DIR,
} from './paths';

export interface ProductionModel {
  readonly app: App;
  /** The images every workload of the model runs. */
  readonly images: ImageCatalog<ImageName>;
  /** Environment-neutral objects: the kustomize base. */
  readonly base: KubeObject[];
  /** What production runs: the base with the prod overlay applied. */
  readonly prod: KubeObject[];
  /** What a preview adds to the base: its Namespace. */
  readonly previewNamespace: KubeObject[];
  /** ArgoCD's Applications, projects, ApplicationSet and settings. */
  readonly argocd: KubeObject[];
}

/** Builds every chart, with the policy enforced, and synthesizes them. Throws on any violation. */
export function buildModel(imagePins?: ImagePins): ProductionModel {
  const catalog = imagePins === undefined ? images : catalogOf(imagePins);
  const app = new App({ outdir: '.cdk8s.out' });
  const base = new BackendChart(app, 'Base', { settings: baseSettings, images: catalog });
  const prod = new BackendChart(app, 'Prod', { settings: productionSettings, images: catalog });
  const previewNamespace = new PreviewOverlayChart(app, 'Preview');
  const baseObjects = base.toJson();
  const prodObjects = prod.toJson();
  const argocd = new ArgoCdChart(app, 'ArgoCd', { base: baseObjects, prod: prodObjects });
  enforcePolicy(app, policyOptionsFor(catalog));
  validateApp(app);
  return {
    app,
    images: catalog,
    base: baseObjects,
    prod: prodObjects,
    previewNamespace: previewNamespace.toJson(),
    argocd: argocd.toJson(),
  };
}

const K8S_README = `# infra/k8s (generated)

Written by \`npm run synth\` from \`charts/\` and \`lib/\`. Do not edit these files: change the TypeScript
and re-run synth. CI fails when this folder differs from what the code generates.

- \`base/\`: environment-neutral manifests, a kustomize base.
- \`overlays/prod/\`: production. \`kustomize build overlays/prod\` renders what ArgoCD applies.
- \`overlays/preview/\`: the base plus a Namespace; each pull-request preview renders it into its own namespace.
`;

/** Every file synth writes below \`infra/\`, keyed by path relative to it. */
export function renderInfra(model: ProductionModel = buildModel()): FileTree {
  const source = 'charts/backend-chart.ts';
  return {
    [`${K8S_DIR}/README.md`]: K8S_README,
    ...prefixTree(BASE_DIR, renderBase(model.base, source)),
    ...prefixTree(
      PROD_OVERLAY_DIR,
      renderOverlay({
        base: model.base,
        target: model.prod,
        basePath: relative(PROD_OVERLAY_DIR, BASE_DIR),
        images: Object.values(model.images),
        source: 'charts/environments.ts',
      }),
    ),
    ...prefixTree(
      PREVIEW_OVERLAY_DIR,
      renderOverlay({
        base: model.base,
        target: [...model.base, ...model.previewNamespace],
        basePath: relative(PREVIEW_OVERLAY_DIR, BASE_DIR),
        images: [],
        source: 'charts/preview-overlay-chart.ts',
      }),
    ),
    [`${ARGOCD_DIR}/README.md`]: ARGOCD_README,
    ...prefixTree(ARGOCD_DIR, renderArgoCdTree(model.argocd, ARGOCD_KIND_DIRS, 'charts/argocd-chart.ts')),
  };
}
