import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FileTree } from './file-tree';

/** How the owned folders on disk differ from the tree a generator would write there; each list sorted. */
export interface TreeDrift {
  /** Files the tree holds, on disk with other content. */
  readonly differs: readonly string[];
  /** Files the tree holds that are not on disk. */
  readonly missing: readonly string[];
  /** Files on disk the tree no longer holds that the generator wrote earlier: writing removes them. */
  readonly stale: readonly string[];
  /** Files (or links) on disk the tree does not hold and the generator did not write: writing refuses. */
  readonly foreign: readonly string[];
}

/** Every entry below the folders `dirs` of `root` that is not a folder, relative to `root` with `/`. */
function entriesUnder(root: string, dirs: readonly string[]): { path: string; isFile: boolean }[] {
  return dirs.flatMap((dir) => {
    const base = join(root, dir);
    if (!existsSync(base)) return [];
    return readdirSync(base, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => ({
        path: relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'),
        isFile: entry.isFile(),
      }));
  });
}

/**
 * Compares the folders `owned` of `root` with `tree` (paths relative to `root`). A file on disk that
 * `tree` does not hold is `stale` when `isGenerated` recognises its content, else `foreign`; anything
 * that is not a plain file (a symbolic link) is always foreign.
 */
export function treeDrift(
  root: string,
  tree: FileTree,
  owned: readonly string[],
  isGenerated: (content: string) => boolean,
): TreeDrift {
  const onDisk = entriesUnder(root, owned);
  const present = new Set(onDisk.map((entry) => entry.path));
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  const extra = onDisk.filter((entry) => !(entry.path in tree));
  const sorted = (paths: string[]): string[] => paths.sort((a, b) => a.localeCompare(b));
  return {
    differs: sorted(Object.keys(tree).filter((path) => present.has(path) && read(path) !== tree[path])),
    missing: sorted(Object.keys(tree).filter((path) => !present.has(path))),
    stale: sorted(extra.filter((entry) => entry.isFile && isGenerated(read(entry.path))).map((e) => e.path)),
    foreign: sorted(
      extra.filter((entry) => !entry.isFile || !isGenerated(read(entry.path))).map((e) => e.path),
    ),
  };
}

/** True when the owned folders hold exactly the tree. */
export function isInSync(drift: TreeDrift): boolean {
  return drift.differs.length + drift.missing.length + drift.stale.length + drift.foreign.length === 0;
}
