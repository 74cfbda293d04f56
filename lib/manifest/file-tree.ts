/** Generated files: relative path → content. */
export type FileTree = Readonly<Record<string, string>>;

/** `tree` with every path moved below `dir`. */
export function prefixTree(dir: string, tree: FileTree): FileTree {
  return Object.fromEntries(Object.entries(tree).map(([path, content]) => [`${dir}/${path}`, content]));
}
