import { FileTree } from '../manifest/file-tree';
import { yamlFile } from '../manifest/yaml-file';
import { KubeObject } from '../manifest/kube-object';

/** Folder (relative to the ArgoCD folder) each kind is written to, e.g. `{ Application: 'applications' }`. */
export type KindFolders = Readonly<Record<string, string>>;

/**
 * One file per object, `<folder of its kind>/<name>.yaml`. Throws for a kind with no folder and for
 * two objects that would share a file (two Applications of one name overwrite each other in ArgoCD).
 */
export function renderArgoCdTree(
  objects: readonly KubeObject[],
  folders: KindFolders,
  source: string,
): FileTree {
  const entries = objects.map((object): [string, string] => {
    const folder = Object.hasOwn(folders, object.kind) ? folders[object.kind] : undefined;
    if (folder === undefined) {
      throw new Error(`no folder for kind ${object.kind}: add it to the ArgoCD kind folders`);
    }
    return [`${folder}/${object.metadata?.name ?? 'unnamed'}.yaml`, yamlFile(object, source)];
  });
  const paths = entries.map(([path]) => path);
  const clash = paths.find((path, index) => paths.indexOf(path) !== index);
  if (clash)
    throw new Error(`two ${clash.split('/')[0]} would be written to ${clash}: give them distinct names`);
  return Object.fromEntries(entries);
}
