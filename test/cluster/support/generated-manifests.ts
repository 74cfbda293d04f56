import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ARGOCD_DIR,
  AUDIT_POLICY_FILE,
  CLUSTER_MANIFESTS_DIR,
  INFRA_DIR,
  K8S_DIR,
} from '../../../charts/paths';
import { findTool, kustomizeBuild } from '../../../lib/kustomize/kustomize-build';
import { SourcedObject } from '../../../lib/policy/evaluate';
import { loadManifests, parseManifests } from '../../../lib/policy/load-manifests';
import { describeObject, isApiObject } from '../../../lib/policy/object-id';
import { REPO_ROOT } from '../../helpers/tools';
import { ApiObject } from './cluster-client';
import { PROD_SET } from './cluster-fixture';

export { REPO_ROOT };

/** One object the repository generates, and where it comes from (`file:line`). */
export interface GeneratedObject {
  readonly object: ApiObject;
  readonly source: string;
}

/** A group of generated objects that is applied as one: a rendered overlay, or a folder of manifests. */
export interface ManifestSet {
  /** `infra/k8s/overlays/prod (kustomize build)`, `infra/argocd`, ... */
  readonly name: string;
  readonly objects: readonly GeneratedObject[];
  /** What kubeconform reads: YAML files as committed, or the rendered stream. */
  readonly input: { readonly files: readonly string[] } | { readonly rendered: string };
}

/** The folders whose objects the suite sends to the API server; each must exist and hold objects. */
export const GENERATED_FOLDERS = {
  overlays: `${INFRA_DIR}/${K8S_DIR}/overlays`,
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

/** Every overlay below infra/k8s/overlays/, rendered as ArgoCD renders it (`kustomize build`). */
function renderedOverlays(): ManifestSet[] {
  const root = absolute(GENERATED_FOLDERS.overlays);
  if (!existsSync(root)) return [];
  const kustomize = findTool('kustomize', REPO_ROOT);
  return readdirSync(root)
    .filter((entry) => statSync(join(root, entry)).isDirectory())
    .sort()
    .map((entry) => {
      const name = `${GENERATED_FOLDERS.overlays}/${entry} (kustomize build)`;
      const rendered = kustomizeBuild(kustomize, join(root, entry));
      return { name, objects: sourced(parseManifests(join(REPO_ROOT, name), rendered)), input: { rendered } };
    });
}

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
