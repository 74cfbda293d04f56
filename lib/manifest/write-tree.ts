import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileTree } from './file-tree';
import { treeDrift } from './tree-drift';

/** Writes every file of `tree` below `root`, creating folders as needed. */
export function writeTree(root: string, tree: FileTree): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export interface WriteTreeOptions {
  /**
   * Tells a file the generator wrote from one someone added. When set, a file of an owned folder that
   * `tree` no longer holds is removed only when this recognises its content (the generator wrote it
   * earlier); any other stops the write before anything changes, with a `ForeignFilesError`.
   * @default - the owned folders are replaced as a whole, whatever they hold
   */
  readonly isGenerated?: (content: string) => boolean;
}

/** Files in generated folders that the generator did not write; the write that found them changed nothing. */
export class ForeignFilesError extends Error {
  constructor(
    /** The folder written to. */
    public readonly root: string,
    /** The files, relative to `root`. */
    public readonly paths: readonly string[],
  ) {
    super(
      `${root}/ holds ${paths.length === 1 ? 'a file' : 'files'} its generator did not write, which a write ` +
        `would delete: ${paths.map((path) => `${root}/${path}`).join(', ')}. Nothing was written.`,
    );
    this.name = 'ForeignFilesError';
  }
}

/**
 * Replaces the folders `owned` of `root` with the content of `tree`, all or nothing: every file is first
 * written to a temporary folder beside them, and the old folders are swapped out only once that worked.
 * Folders of `root` not in `owned` are never touched. With `isGenerated`, a file it does not recognise
 * in an owned folder is never deleted: the write refuses instead (see `WriteTreeOptions`).
 */
export function writeTreeAtomically(
  root: string,
  tree: FileTree,
  owned: readonly string[],
  options: WriteTreeOptions = {},
): void {
  const outside = Object.keys(tree).filter((path) => !owned.some((dir) => path.startsWith(`${dir}/`)));
  if (outside.length > 0) throw new Error(`files outside ${owned.join(', ')}: ${outside.join(', ')}`);
  if (options.isGenerated) {
    const { foreign } = treeDrift(root, tree, owned, options.isGenerated);
    if (foreign.length > 0) throw new ForeignFilesError(root, foreign);
  }

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
