import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { releaseImage } from '../../charts/release';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { copyRepo, runTs as runTsIn } from '../helpers/temp-repo';
import { toolPath } from '../helpers/tools';
import { loadPinnedImages } from '../../charts/images';
import { anotherTag } from '../helpers/another-tag';

/** A release: a tag CI could build that is not the current pin. */
const NEW_TAG = anotherTag(loadPinnedImages().backend.tag);

/** Runs an entry point with the Go-built kustomize on PATH, as after `npm run tools`. */
const runTs = (root: string, script: string, args: string[] = []) =>
  runTsIn(root, script, args, { PATH: `${dirname(toolPath('kustomize'))}${delimiter}${process.env.PATH}` });

describe('npm run diff (bin/diff.ts)', () => {
  let root: string;
  beforeAll(() => {
    // given: a repository whose committed infra/ is fresh, then a release in the working tree
    root = initRepo(copyRepo());
    const synth = runTs(root, 'bin/synth.ts');
    if (synth.status !== 0) throw new Error(`test set-up: synth failed: ${synth.stderr}`);
    commitAll(root, 'base');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('says "No changes" when the working tree renders like the base, and removes its worktree', () => {
    // when
    const result = runTs(root, 'bin/diff.ts', ['--base', 'HEAD']);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^### Manifest diff: `HEAD` \([0-9a-f]+\) → working tree\n\nNo changes\.\n$/,
    );
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('shows a release as the image field of the Deployment and the CronJob of the rendered prod overlay', () => {
    // given
    releaseImage(root, 'backend', NEW_TAG);
    // when
    const result = runTs(root, 'bin/diff.ts', ['--base', 'HEAD']);
    // then
    expect(result.status).toBe(0);
    const [, prod] = result.stdout.split('#### `kustomize build infra/k8s/backend/overlays/prod`\n');
    expect(prod).toBeDefined();
    expect(prod).toContain('##### ✏️ changed: `Deployment/production/backend`');
    expect(prod.split('\n#### ')[0]).toContain('##### ✏️ changed: `CronJob/production/backend-cleanup`');
    expect(prod).toMatch(
      new RegExp(
        `<code>spec\\.template\\.spec\\.containers\\[backend\\]\\.image</code> \\| <code>ghcr\\.io/robson/backend:sha-[0-9a-f]{7}</code> \\| <code>ghcr\\.io/robson/backend:${NEW_TAG}</code>`,
      ),
    );
    expect(result.stdout).toContain(
      '- `kustomize build infra/k8s/backend/overlays/prod`: 0 added, 0 removed, 2 changed\n',
    );
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('fails with exit 1 for an unknown base ref, and leaves no worktree behind', () => {
    // when
    const result = runTs(root, 'bin/diff.ts', ['--base', 'no-such-branch']);
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown base ref "no-such-branch"');
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('fails with exit 2 and the usage for an unknown argument', () => {
    // when
    const result = runTs(root, 'bin/diff.ts', ['--bsae', 'HEAD']);
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run diff [-- --base <git ref>]');
  });

  test('fails with exit 1 at once when kustomize is missing, saying to run npm run tools', () => {
    // given: no tools folder, and a PATH with node and git but no kustomize
    const emptyTools = mkdtempSync(join(tmpdir(), 'no-tools-'));
    const path = [dirname(process.execPath), '/usr/bin', '/bin'];
    if (path.some((dir) => existsSync(join(dir, 'kustomize'))))
      throw new Error('test set-up: kustomize on PATH');
    // when
    const result = runTsIn(root, 'bin/diff.ts', ['--base', 'HEAD'], {
      TOOLS_BIN: emptyTools,
      PATH: path.join(delimiter),
    });
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `diff failed: kustomize is neither in ${emptyTools} nor on PATH: run \`npm run tools\`\n`,
    );
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
    rmSync(emptyTools, { recursive: true });
  });

  test('fails with exit 1 when the base cannot be rendered, and still removes its worktree', () => {
    // given: a base commit whose synth is broken
    commitAll(root, 'release');
    writeFileSync(join(root, 'bin', 'synth.ts'), 'process.exit(3);\n');
    commitAll(root, 'broken synth');
    git(root, 'revert', '--no-edit', 'HEAD');
    // when
    const result = runTs(root, 'bin/diff.ts', ['--base', 'HEAD~1']);
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synth at HEAD~1 failed/);
    expect(git(root, 'worktree', 'list').split('\n')).toHaveLength(1);
  });
});
