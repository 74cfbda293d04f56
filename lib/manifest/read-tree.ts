import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FileTree } from './file-tree';

/**
 * The files below the folders `dirs` of `root`, keyed by path relative to `root` with `/` separators:
 * the same shape `writeTreeAtomically` writes. A missing folder contributes nothing.
 */
export function readTree(root: string, dirs: readonly string[]): FileTree {
  const entries = dirs.flatMap((dir) => {
    const base = join(root, dir);
    if (!existsSync(base)) return [];
    return readdirSync(base, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')] as const;
      });
  });
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
