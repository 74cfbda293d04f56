import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileTree } from '../manifest/yaml-file';

/** Writes every file of `tree` below `root`, creating folders as needed. */
export function writeTree(root: string, tree: FileTree): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/**
 * Replaces the folders `owned` of `root` with the content of `tree`, all or nothing: every file is first
 * written to a temporary folder beside them, and the old folders are swapped out only once that worked.
 * Folders of `root` not in `owned` are never touched.
 */
export function writeTreeAtomically(root: string, tree: FileTree, owned: readonly string[]): void {
  const outside = Object.keys(tree).filter((path) => !owned.some((dir) => path.startsWith(`${dir}/`)));
  if (outside.length > 0) throw new Error(`files outside ${owned.join(', ')}: ${outside.join(', ')}`);

  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, '.synth-'));
  try {
    writeTree(staging, tree);
    for (const dir of owned) {
      const current = join(root, dir);
      if (existsSync(current)) renameSync(current, join(staging, `.previous-${dir}`));
      if (existsSync(join(staging, dir))) renameSync(join(staging, dir), current);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
