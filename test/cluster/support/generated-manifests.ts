import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ARGOCD_DIR,
  AUDIT_POLICY_FILE,
  CLUSTER_MANIFESTS_DIR,
  INFRA_DIR,
  K8S_DIR,
  PREVIEW_DIR,
} from '../../../charts/paths';
import { findTool, kustomizeBuild } from '../../../lib/kustomize/kustomize-build';
import { SourcedObject } from '../../../lib/policy/evaluate';
import { loadManifests, parseManifests } from '../../../lib/policy/load-manifests';
import { describeObject, isApiObject } from '../../../lib/manifest/object-id';
import { overlayEnvironments, renderEnvironment } from '../../helpers/environment-overlays';
import { REPO_ROOT } from '../../helpers/tools';
import { ApiObject } from './cluster-client';

export { REPO_ROOT };

/** One object the repository generates, and where it comes from (`file:line`). */
export interface GeneratedObject {
  readonly object: ApiObject;
  readonly source: string;
}

/** A group of generated objects that is applied as one: a rendered overlay, or a folder of manifests. */
export interface ManifestSet {
  /** `infra/k8s/<component>/overlays/prod (kustomize build)` (every component), `infra/argocd`, ... */
  readonly name: string;
  readonly objects: readonly GeneratedObject[];
  /** What kubeconform reads: YAML files as committed, or the rendered stream. */
  readonly input: { readonly files: readonly string[] } | { readonly rendered: string };
}

/** The folders whose objects the suite sends to the API server; each must exist and hold objects. */
export const GENERATED_FOLDERS = {
  overlays: `${INFRA_DIR}/${K8S_DIR}`,
  argocd: `${INFRA_DIR}/${ARGOCD_DIR}`,
  cluster: `${INFRA_DIR}/${CLUSTER_MANIFESTS_DIR}`,
} as const;

/** The audit policy kube-apiserver is started with (not an API object). */
export const AUDIT_POLICY_PATH = `${INFRA_DIR}/${AUDIT_POLICY_FILE}`;

const absolute = (path: string): string => join(REPO_ROOT, path);
const sourced = (objects: readonly SourcedObject[]): GeneratedObject[] =>
  objects
    .filter(({ object }) => isApiObject(object))
    .map(({ object, source }) => ({
      object: object as ApiObject,
      source: relative(REPO_ROOT, source ?? '?'),
    }));

/**
 * What each environment runs (every component's overlay of it) and what a preview runs, each rendered
 * as ArgoCD renders it (`kustomize build`).
 */
function renderedOverlays(): ManifestSet[] {
  const kustomize = findTool('kustomize', REPO_ROOT);
  const build = (dir: string): string => kustomizeBuild(kustomize, dir);
  const sets = overlayEnvironments(REPO_ROOT).map((environment) => ({
    name: environmentSetName(environment),
    rendered: renderEnvironment(REPO_ROOT, environment, build),
  }));
  const preview = absolute(`${INFRA_DIR}/${PREVIEW_DIR}`);
  if (existsSync(preview))
    sets.push({ name: `${INFRA_DIR}/${PREVIEW_DIR} (kustomize build)`, rendered: build(preview) });
  return sets.map(({ name, rendered }) => ({
    name,
    objects: sourced(parseManifests(join(REPO_ROOT, name), rendered)),
    input: { rendered },
  }));
}

/** The name of an environment's set in `generatedManifestSets()`. */
export const environmentSetName = (environment: string): string =>
  `${INFRA_DIR}/${K8S_DIR}/*/overlays/${environment} (kustomize build)`;

/** Name of the prod environment's set in `generatedManifestSets()`. */
export const PROD_SET = environmentSetName('prod');

/** The API objects of the YAML files below `folder` (kustomizations and patch files left out). */
function folderSet(folder: string): ManifestSet {
  const path = absolute(folder);
  const objects = existsSync(path) ? sourced(loadManifests([path])) : [];
  const files = [...new Set(objects.map(({ source }) => source.replace(/:\d+$/, '')))].map(absolute);
  return { name: folder, objects, input: { files } };
}

/** Every set of generated objects: the rendered overlays, infra/argocd and infra/cluster/manifests. */
export function generatedManifestSets(): ManifestSet[] {
  return [...renderedOverlays(), folderSet(GENERATED_FOLDERS.argocd), folderSet(GENERATED_FOLDERS.cluster)];
}

/** `Kind namespace/name (source)`: how a test names an object. */
export const describeGenerated = ({ object, source }: GeneratedObject): string =>
  `${describeObject(object)} (${source})`;

/** The Deployment that the production overlay renders: the starting point of a probe built from it. */
export function generatedProductionDeployment(): ApiObject {
  const found = generatedManifestSets()
    .find((set) => set.name === PROD_SET)
    ?.objects.find(({ object }) => object.kind === 'Deployment');
  if (!found) throw new Error(`${PROD_SET} renders no Deployment`);
  return found.object;
}
