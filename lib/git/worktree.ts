import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git } from './git';

/**
 * Checks `ref` out into a temporary, detached worktree, calls `use` with its folder, and always removes
 * the worktree afterwards, also when `use` throws. The repository's own working tree is not touched.
 */
export function withWorktree<T>(git: Git, ref: string, use: (dir: string) => T): T {
  const commit = git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]).trim();
  const dir = mkdtempSync(join(tmpdir(), 'worktree-'));
  try {
    git(['worktree', 'add', '--detach', '--quiet', dir, commit]);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    git(['worktree', 'prune']);
  }
}
