import { FileTree } from './file-tree';

/** How one file tree differs from another, each list sorted. */
export interface TreeChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly modified: readonly string[];
}

/** The files `after` adds, removes and changes relative to `before`. */
export function treeChanges(before: FileTree, after: FileTree): TreeChanges {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return {
    added: paths.filter((path) => !(path in before)),
    removed: paths.filter((path) => !(path in after)),
    modified: paths.filter((path) => path in before && path in after && before[path] !== after[path]),
  };
}

/** True when the trees hold the same files with the same content. */
export function isUnchanged(changes: TreeChanges): boolean {
  return changes.added.length + changes.removed.length + changes.modified.length === 0;
}

/** One `A`/`D`/`M` line per file, like `git status --short`, with `prefix` before each path. */
export function formatTreeChanges(changes: TreeChanges, prefix = ''): string[] {
  return [
    ...changes.added.map((path) => ['A', path] as const),
    ...changes.removed.map((path) => ['D', path] as const),
    ...changes.modified.map((path) => ['M', path] as const),
  ]
    .sort(([, a], [, b]) => a.localeCompare(b))
    .map(([mark, path]) => `${mark} ${prefix}${path}`);
}
