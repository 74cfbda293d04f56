import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  CommandSpec,
  FileTree,
  Git,
  findTool,
  gitIn,
  gitSucceeds,
  manifestDiff,
  readTree,
  renderDiffMarkdown,
  runCommand,
  withWorktree,
} from '../lib';
import { INFRA_DIR, SYNTH_OWNED_DIRS } from '../charts/paths';

const SPEC: CommandSpec = {
  name: 'diff',
  description:
    `Per-object Markdown diff of what the working tree renders against a base commit: every overlay of ` +
    `${INFRA_DIR}/k8s as kustomize builds it, and the other generated files. The base's own code renders the ` +
    'base, in a temporary git worktree. The Markdown goes to stdout, progress to stderr. Needs the Go-built ' +
    'kustomize: run `npm run tools` once.',
  options: [
    {
      name: 'base',
      value: 'git ref',
      description: 'branch, tag or commit to compare with (default: origin/main, else main, else HEAD)',
    },
  ],
  exitStatus: { 0: 'printed (changes or not)', 1: 'failed', 2: 'bad usage' },
  examples: ['npm run diff', 'npm run diff -- --base HEAD~3'],
};

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
function renderHead(root: string, renderInfra: () => FileTree): FileTree {
  const owned = (path: string): boolean => SYNTH_OWNED_DIRS.some((dir) => path.startsWith(`${dir}/`));
  const onDisk = Object.entries(readGenerated(join(root, INFRA_DIR))).filter(([path]) => !owned(path));
  return { ...Object.fromEntries(onDisk), ...renderInfra() };
}

runCommand(SPEC, async (commandLine) => {
  // An interrupt must not skip the worktree clean-up: the child exits, the `finally` blocks run.
  process.once('SIGINT', () => (process.exitCode = 130));
  // A failure is reported by runCommand as `<name> failed: <message>`, exit 1.
  const git = gitIn(process.cwd());
  const root = git(['rev-parse', '--show-toplevel']).trim();
  // Before the slow part: a missing kustomize says to run `npm run tools` at once.
  const kustomize = findTool('kustomize', root);
  const base = commandLine.value('base') ?? defaultBase(git);
  if (!gitSucceeds(git, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`])) {
    throw new Error(
      `unknown base ref "${base}": name a branch, tag or commit (fetch it first in a shallow clone)`,
    );
  }
  const commit = git(['rev-parse', '--short', `${base}^{commit}`]).trim();
  console.error(`diff: rendering ${base} (${commit}) and the working tree`);
  const before = renderBase(git, root, base);
  // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
  const { renderInfra } = await import('../charts/app');
  const after = renderHead(root, () => renderInfra());
  const diff = manifestDiff(before, after, { kustomize, pathPrefix: `${INFRA_DIR}/` });
  process.stdout.write(renderDiffMarkdown(diff, `Manifest diff: \`${base}\` (${commit}) → working tree`));
  return 0;
});
