import { App } from 'cdk8s';
import { FileTree, KubeObject, enforcePolicy, renderBase, renderOverlay, validateApp } from '../lib';
import { BackendChart } from './backend-chart';
import { policyOptions } from './policy-options';
import { baseSettings, productionSettings } from './environments';
import { images } from './images';
import { BASE_DIR, K8S_DIR, PROD_OVERLAY_DIR } from './paths';

export interface ProductionModel {
  readonly app: App;
  /** Environment-neutral objects: the kustomize base. */
  readonly base: KubeObject[];
  /** What production runs: the base with the prod overlay applied. */
  readonly prod: KubeObject[];
}

/** Builds every chart, with the policy enforced, and synthesizes them. Throws on any violation. */
export function buildModel(): ProductionModel {
  const app = new App({ outdir: '.cdk8s.out' });
  const base = new BackendChart(app, 'Base', { settings: baseSettings });
  const prod = new BackendChart(app, 'Prod', { settings: productionSettings });
  enforcePolicy(app, policyOptions);
  validateApp(app);
  return { app, base: base.toJson(), prod: prod.toJson() };
}

const K8S_README = `# infra/k8s (generated)

Written by \`npm run synth\` from \`charts/\` and \`lib/\`. Do not edit these files: change the TypeScript
and re-run synth. CI fails when this folder differs from what the code generates.

- \`base/\`: environment-neutral manifests, a kustomize base.
- \`overlays/prod/\`: production. \`kustomize build overlays/prod\` renders what ArgoCD applies.
`;

/** Every file synth writes below \`infra/\`, keyed by path relative to it. */
export function renderInfra(model: ProductionModel = buildModel()): FileTree {
  const source = 'charts/backend-chart.ts';
  const prefix = (dir: string, tree: FileTree): FileTree =>
    Object.fromEntries(Object.entries(tree).map(([path, content]) => [`${dir}/${path}`, content]));
  return {
    [`${K8S_DIR}/README.md`]: K8S_README,
    ...prefix(BASE_DIR, renderBase(model.base, source)),
    ...prefix(
      PROD_OVERLAY_DIR,
      renderOverlay({
        base: model.base,
        target: model.prod,
        basePath: '../../base',
        images: Object.values(images),
        source: 'charts/environments.ts',
      }),
    ),
  };
}
