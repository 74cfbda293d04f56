import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  FileTree,
  Git,
  findTool,
  gitIn,
  gitSucceeds,
  manifestDiff,
  readTree,
  renderDiffMarkdown,
  withWorktree,
} from '../lib';
import { renderInfra } from '../charts/app';
import { INFRA_DIR, SYNTH_OWNED_DIRS } from '../charts/paths';

const USAGE = 'usage: npm run diff [-- --base <git ref>]';

/** `origin/main` when the remote branch is known, else `main`, else `HEAD`. */
function defaultBase(git: Git): string {
  const candidates = ['origin/main', 'main'];
  return (
    candidates.find((ref) => gitSucceeds(git, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) ??
    'HEAD'
  );
}

/** Every file of a generated folder except synth's staging folders. */
const readGenerated = (dir: string): FileTree =>
  Object.fromEntries(Object.entries(readTree(dir, ['.'])).filter(([path]) => !path.startsWith('.')));

/** The base: its own code, run in a temporary worktree, writes its generated folder there. */
function renderBase(git: Git, root: string, ref: string): FileTree {
  return withWorktree(git, ref, (dir) => {
    if (!existsSync(join(dir, 'node_modules')))
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, CDK8S_OUTDIR: '' };
    const run = spawnSync(tsx, ['bin/synth.ts'], { cwd: dir, encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`synth at ${ref} failed:\n${run.stderr.trim()}`);
    return readGenerated(join(dir, INFRA_DIR));
  });
}

/** The working tree: the generated folder as it is, with the folders synth owns rendered afresh. */
function renderHead(root: string): FileTree {
  const owned = (path: string): boolean => SYNTH_OWNED_DIRS.some((dir) => path.startsWith(`${dir}/`));
  const onDisk = Object.entries(readGenerated(join(root, INFRA_DIR))).filter(([path]) => !owned(path));
  return { ...Object.fromEntries(onDisk), ...renderInfra() };
}

/** 0: printed (changes or not); 1: failed; 2: bad usage. The Markdown goes to stdout, progress to stderr. */
function main(args: readonly string[]): number {
  const baseFlag = args.indexOf('--base');
  if ((baseFlag >= 0 && !args[baseFlag + 1]) || args.length !== (baseFlag >= 0 ? 2 : 0)) {
    console.error(USAGE);
    return 2;
  }
  // An interrupt must not skip the worktree clean-up: the child exits, the `finally` blocks run.
  process.once('SIGINT', () => (process.exitCode = 130));
  try {
    const git = gitIn(process.cwd());
    const root = git(['rev-parse', '--show-toplevel']).trim();
    const base = baseFlag >= 0 ? args[baseFlag + 1] : defaultBase(git);
    if (!gitSucceeds(git, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`])) {
      throw new Error(
        `unknown base ref "${base}": name a branch, tag or commit (fetch it first in a shallow clone)`,
      );
    }
    const commit = git(['rev-parse', '--short', `${base}^{commit}`]).trim();
    console.error(`diff: rendering ${base} (${commit}) and the working tree`);
    const before = renderBase(git, root, base);
    const after = renderHead(root);
    const diff = manifestDiff(before, after, {
      kustomize: findTool('kustomize', root),
      pathPrefix: `${INFRA_DIR}/`,
    });
    process.stdout.write(renderDiffMarkdown(diff, `Manifest diff: \`${base}\` (${commit}) → working tree`));
    return 0;
  } catch (error) {
    console.error(`diff failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
