import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTree } from '../../lib';
import { git } from './git-repo';

const digest = (path: string): string | null =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;

/**
 * Everything a command could destroy in the checkout `dir`: every ref (branches, remote-tracking refs,
 * tags) with its commit, HEAD, FETCH_HEAD (a fetch writes it), the index, and every file of the worktree.
 * Two equal states mean the command moved, fetched, staged and wrote nothing.
 */
export function checkoutState(dir: string): Record<string, unknown> {
  const files = Object.entries(readTree(dir, ['.'])).filter(([path]) => !path.startsWith('.git/'));
  return {
    refs: git(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    head: readFileSync(join(dir, '.git', 'HEAD'), 'utf8'),
    fetchHead: digest(join(dir, '.git', 'FETCH_HEAD')),
    index: digest(join(dir, '.git', 'index')),
    files: Object.fromEntries(files),
  };
}
