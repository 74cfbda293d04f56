import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomizeBuild } from '../kustomize/kustomize-build';
import { FileTree } from '../manifest/file-tree';
import { KubeObject } from '../manifest/kube-object';
import { writeTree } from '../manifest/write-tree';
import { TreeChanges, treeChanges } from '../manifest/tree-changes';
import { ResourceChange, diffResources } from './resource-diff';

/** One part of a manifest diff: a set of objects compared between two renders. */
export interface DiffSection {
  readonly title: string;
  readonly changes: readonly ResourceChange[];
}

export interface ManifestDiff {
  readonly sections: readonly DiffSection[];
  /** Files that hold no Kubernetes object (READMEs, configuration), compared as text. */
  readonly otherFiles: TreeChanges;
}

export interface ManifestDiffProps {
  /** The kustomize binary. */
  readonly kustomize: string;
  /**
   * Name of the folders that hold overlays: each child folder with a kustomization is built.
   * @default 'overlays'
   */
  readonly overlaysFolder?: string;
  /**
   * Prefix of the paths in section titles and file lists, e.g. `infra/`.
   * @default ''
   */
  readonly pathPrefix?: string;
}

const KUSTOMIZATION = /(^|\/)kustomization\.ya?ml$/;
const isYaml = (path: string): boolean => /\.ya?ml$/.test(path);

/** Overlay folders of a tree: `…/<overlaysFolder>/<name>/` holding a kustomization. */
function overlaysOf(tree: FileTree, overlaysFolder: string): string[] {
  const pattern = new RegExp(`^(.*(?:^|/)${overlaysFolder}/[^/]+)/kustomization\\.ya?ml$`);
  return Object.keys(tree).flatMap((path) => {
    const match = pattern.exec(path);
    return match ? [match[1]] : [];
  });
}

function withTreeOnDisk<T>(tree: FileTree, use: (root: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), 'manifest-diff-'));
  try {
    writeTree(root, tree);
    return use(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const objectsOf = (text: string, source: string): KubeObject[] | undefined => {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  const values = documents.map((document) => {
    if (document.errors.length > 0)
      throw new Error(`${source}: ${document.errors[0].message.split('\n')[0]}`);
    return document.toJS() as unknown;
  });
  const objects = values.filter((value) => value !== null && value !== undefined);
  const isObject = (value: unknown): value is KubeObject =>
    typeof value === 'object' &&
    typeof (value as KubeObject).apiVersion === 'string' &&
    typeof (value as KubeObject).kind === 'string';
  return objects.every(isObject) ? objects : undefined;
};

const prefixed = (files: Record<string, string>, prefix: string): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([path, content]) => [`${prefix}${path}`, content]));

interface Rendered {
  /** Overlay folder → the objects `kustomize build` renders. */
  readonly overlays: Map<string, KubeObject[]>;
  /** Objects of the files outside overlays (kustomizations excluded). */
  readonly files: KubeObject[];
  /** Files outside overlays that hold no objects, or are kustomizations, as text. */
  readonly other: Record<string, string>;
}

function render(tree: FileTree, overlays: readonly string[], props: ManifestDiffProps): Rendered {
  const present = overlays.filter((overlay) =>
    Object.keys(tree).some((path) => KUSTOMIZATION.test(path) && path.startsWith(`${overlay}/`)),
  );
  const built = withTreeOnDisk(tree, (root) =>
    present.map(
      (overlay) =>
        [overlay, objectsOf(kustomizeBuild(props.kustomize, join(root, overlay)), overlay) ?? []] as const,
    ),
  );
  const files: KubeObject[] = [];
  const other: Record<string, string> = {};
  for (const [path, content] of Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (overlays.some((overlay) => path.startsWith(`${overlay}/`))) continue;
    const objects = isYaml(path) && !KUSTOMIZATION.test(path) ? objectsOf(content, path) : undefined;
    if (objects) files.push(...objects);
    else other[path] = content;
  }
  return { overlays: new Map(built), files, other };
}

/**
 * A semantic diff of two generated trees (paths relative to the generated folder): for every overlay, the
 * objects `kustomize build` renders; for every other YAML file, its objects; the remaining files as text.
 * Overlays only one tree has are compared with nothing, so all their objects show as added or removed.
 */
export function manifestDiff(before: FileTree, after: FileTree, props: ManifestDiffProps): ManifestDiff {
  const folder = props.overlaysFolder ?? 'overlays';
  const prefix = props.pathPrefix ?? '';
  const overlays = [...new Set([...overlaysOf(before, folder), ...overlaysOf(after, folder)])].sort();
  const old = render(before, overlays, props);
  const next = render(after, overlays, props);
  return {
    sections: [
      ...overlays.map((overlay) => ({
        title: `kustomize build ${prefix}${overlay}`,
        changes: diffResources(old.overlays.get(overlay) ?? [], next.overlays.get(overlay) ?? []),
      })),
      {
        title: `${prefix || 'generated'} files outside overlays`,
        changes: diffResources(old.files, next.files),
      },
    ],
    otherFiles: treeChanges(prefixed(old.other, prefix), prefixed(next.other, prefix)),
  };
}
