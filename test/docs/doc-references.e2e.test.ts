import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/tools';
import { DocReference, Repository, brokenReference, referencesIn } from './doc-references';

interface WorkflowFile {
  readonly name: string;
  readonly jobs: Record<string, { readonly name?: string }>;
}

/** This repository as the checker sees it: files on disk, npm scripts, workflows and their jobs. */
function thisRepository(): Repository {
  const workflowsDir = join(REPO_ROOT, '.github', 'workflows');
  const workflows = new Map(
    readdirSync(workflowsDir)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => {
        const workflow = parse(readFileSync(join(workflowsDir, file), 'utf8')) as WorkflowFile;
        const jobs = Object.entries(workflow.jobs).flatMap(([id, job]) => [id, job.name ?? id]);
        return [workflow.name, new Set(jobs)] as const;
      }),
  );
  const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return {
    exists: (path) => existsSync(join(REPO_ROOT, path)),
    existsBelowSomeFolder: (path) => files.some((file) => file.endsWith(`/${path}`)),
    npmScripts: new Set(Object.keys(packageJson.scripts)),
    workflows,
  };
}

/** The README and every Markdown file below `docs/`. */
function documents(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file));
  return ['README.md', ...docs.sort()];
}

describe('what the documentation names exists', () => {
  // What the repository holds, not what is on disk: ignored folders (.tools/ with the policy bundle,
  // node_modules) come and go with the commands run before this test.
  const topLevel = new Set(
    execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .map((file) => file.split('/')[0]),
  );
  const repository = thisRepository();
  const references = documents().flatMap((file) =>
    referencesIn(file, readFileSync(join(REPO_ROOT, file), 'utf8'), topLevel),
  );

  test('every repository path, npm script, workflow, job and check named in README.md and docs/ exists', () => {
    // when
    const broken = references.flatMap((reference) => brokenReference(reference, repository) ?? []);
    // then
    expect(broken).toEqual([]);
  });

  test('the runbooks are found and checked (the check reads them)', () => {
    // when
    const files = new Set(references.map((reference) => reference.file));
    // then
    for (const runbook of ['hotfix', 'rollback', 'argocd-down', 'break-glass']) {
      expect(files).toContain(join('docs', 'runbooks', `${runbook}.md`));
    }
    expect(references.filter((reference) => reference.kind === 'check').length).toBeGreaterThan(0);
  });
});

describe('referencesIn / brokenReference', () => {
  const repository: Repository = {
    exists: (path) =>
      ['charts', 'charts/config.ts', 'infra/k8s/overlays/prod', 'package.json'].includes(path),
    existsBelowSomeFolder: (path) => path === 'overlays/prod/kustomization.yaml',
    npmScripts: new Set(['synth', 'release']),
    workflows: new Map([['release', new Set(['image', 'publish'])]]),
  };
  const topLevel = new Set(['charts', 'infra', 'docs', 'package.json']);
  const check = (text: string): string[] =>
    referencesIn('doc.md', text, topLevel).flatMap(
      (reference) => brokenReference(reference, repository) ?? [],
    );

  test('accepts what exists', () => {
    // when
    const broken = check(
      'Edit `charts/config.ts`, see `infra/k8s/overlays/prod/`, `overlays/prod/kustomization.yaml` and\n' +
        '`package.json`. npm run synth: writes infra/; run `npm run synth` and\n' +
        'npm run release -- backend sha-0a1b2c3; the `release / image` check and the job `publish`.',
    );
    // then
    expect(broken).toEqual([]);
  });

  test.each([
    ['a missing file', 'see `charts/old-config.ts`', 'doc.md:1: no such path charts/old-config.ts'],
    [
      'a missing folder',
      'see `infra/k8s/overlays/staging/`',
      'doc.md:1: no such path infra/k8s/overlays/staging/',
    ],
    [
      'a missing file outside known folders',
      'see `scripts/bump.sh`',
      'doc.md:1: no file ends with scripts/bump.sh',
    ],
    ['a renamed script', 'run `npm run deploy`', 'doc.md:1: no npm script "deploy"'],
    ['a script in a code block', '```sh\nnpm run -s bump-image\n```', 'doc.md:2: no npm script "bump-image"'],
    ['a removed workflow', 'the `deploy-prod` workflow', 'doc.md:1: no workflow named "deploy-prod"'],
    ['a removed job', 'the job `smoke-test`', 'doc.md:1: no workflow has a job "smoke-test"'],
    ['a check of another workflow', '`release / verify` passes', 'doc.md:1: no check "release / verify"'],
  ])('fails on %s', (_, text, problem) => {
    // when / then
    expect(check(text)).toEqual([problem]);
  });

  test('leaves prose, Kubernetes names, images, URLs, commands and placeholders alone', () => {
    // given
    const text =
      'The `Deployment/production/backend` runs `ghcr.io/robson/backend:sha-0a1b2c3` from `origin/main`; ' +
      'see `https://example.com/a/b`, `infra/argocd/<name>.yaml`, `kubectl -n production get pods`, `robson:oncall`.';
    // when
    const references: DocReference[] = referencesIn('doc.md', text, topLevel);
    // then
    expect(references).toEqual([]);
  });
});
