import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RELEASE_PATHS } from '../../charts/release';
import { REPO_ROOT, toolPath } from '../helpers/tools';
import {
  Workflow,
  globToRegExp,
  npmScriptsRun,
  parseWorkflow,
  workflowProblems,
  writeGrants,
} from './workflow-checks';

const WORKFLOWS = ['pull-request.yml', 'release.yml'];
const read = (file: string): string => readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8');
const pullRequest: Workflow = parseWorkflow(read('pull-request.yml'));
const release: Workflow = parseWorkflow(read('release.yml'));

describe('the workflows', () => {
  test.each(WORKFLOWS)('%s: SHA-pinned actions, read-only defaults, no swallowed failure', (file) => {
    // when
    const problems = workflowProblems(read(file));
    // then
    expect(problems).toEqual([]);
  });

  test('write permissions are granted only where needed: PR comments and the image push', () => {
    // when
    const grants = { pullRequest: writeGrants(pullRequest), release: writeGrants(release) };
    // then
    expect(grants).toEqual({ pullRequest: { diff: ['pull-requests'] }, release: { image: ['packages'] } });
    expect(pullRequest.permissions).toEqual({ contents: 'read' });
    expect(release.permissions).toEqual({});
  });

  test('pull requests run exactly the jobs verify, manifests and diff, the required checks of main', () => {
    // given
    const stack = parse(readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8')) as {
      config: Record<string, unknown>;
    };
    // when
    const jobs = Object.entries(pullRequest.jobs).map(([id, job]) => [id, job.name]);
    // then
    expect(jobs).toEqual([
      ['verify', 'verify'],
      ['manifests', 'manifests'],
      ['diff', 'diff'],
    ]);
    expect(stack.config['production-infra:requiredChecks']).toEqual(['verify', 'manifests', 'diff']);
    expect(pullRequest.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
  });

  test('every npm script the workflows run exists', () => {
    // given
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    // when
    const used = [...npmScriptsRun(pullRequest), ...npmScriptsRun(release)];
    // then
    expect(used).toEqual(
      expect.arrayContaining(['diff', 'policy', 'release:publish', 'release:tag', 'release:verify', 'synth']),
    );
    expect(used.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  test('releases never race: one concurrency group, queued, not cancelled', () => {
    // then
    expect(release.concurrency).toEqual({ group: 'release-production', 'cancel-in-progress': false });
    expect(Object.keys(release.on ?? {})).toEqual(['push']);
    expect((release.on?.push as { branches: string[] }).branches).toEqual(['main']);
  });

  test('a release commit cannot trigger another release: its paths match no trigger path', () => {
    // given: files a release commit may change
    const released = RELEASE_PATHS.map((path) =>
      path.endsWith('/') ? `${path}k8s/overlays/prod/kustomization.yaml` : path,
    );
    // when
    const triggers = (release.on?.push as { paths: string[] }).paths.map(globToRegExp);
    // then
    expect(triggers.length).toBeGreaterThan(0);
    expect(released.filter((path) => triggers.some((trigger) => trigger.test(path)))).toEqual([]);
    expect(triggers.some((trigger) => trigger.test('backend/src/main.go'))).toBe(true);
  });

  test('the release builds, then publishes, then waits for ArgoCD, each step failing the job on failure', () => {
    // when
    const order = Object.entries(release.jobs).map(([id, job]) => [id, job.needs ?? []]);
    const runs = Object.values(release.jobs)
      .flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''))
      .join('\n');
    const appToken = release.jobs.publish.steps?.find((step) =>
      step.uses?.startsWith('actions/create-github-app-token@'),
    );
    // then
    expect(order).toEqual([
      ['image', []],
      ['publish', 'image'],
      ['rollout', ['image', 'publish']],
    ]);
    expect(runs).toContain('docker buildx imagetools inspect "$REFERENCE"');
    expect(runs).toContain('npm run --silent release:publish -- "$IMAGE" "$GITHUB_SHA"');
    expect(runs).toContain('npm run --silent release:verify -- "$IMAGE" "$TAG"');
    expect(runs).not.toMatch(/git push/);
    expect(appToken?.with).toEqual({
      'app-id': '${{ secrets.RELEASE_APP_ID }}',
      'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
      'permission-contents': 'write',
    });
  });

  test('actionlint finds nothing', () => {
    // when
    const output = execFileSync(toolPath('actionlint'), ['-no-color'], { cwd: REPO_ROOT, encoding: 'utf8' });
    // then
    expect(output).toBe('');
  });
});

describe('workflowProblems', () => {
  const clean = `name: x
on: { push: { branches: [main] } }
permissions: {}
concurrency: { group: x }
jobs:
  a:
    permissions: { contents: read }
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - run: npm test
`;

  test('finds nothing in a clean workflow', () => {
    // when / then
    expect(workflowProblems(clean)).toEqual([]);
  });

  test.each([
    [
      'a tag instead of a SHA',
      ['08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0', 'v5'],
      /not pinned by full commit SHA/,
    ],
    ['a SHA without a version comment', [' # v5.0.0', ''], /not pinned by full commit SHA/],
    ['pull_request_target', ['push: { branches: [main] }', 'pull_request_target: {}'], /pull_request_target/],
    ['write-all at the top', ['permissions: {}', 'permissions: write-all'], /top-level permissions/],
    ['a top-level write', ['permissions: {}', 'permissions: { contents: write }'], /top-level permissions/],
    ['no concurrency group', ['concurrency: { group: x }', ''], /no concurrency group/],
    ['|| true', ['npm test', 'npm test || true'], /swallowed/],
    ['|| echo', ['npm test', 'argocd app wait x || echo skipped'], /swallowed/],
    [
      'continue-on-error',
      ['      - run: npm test', '      - run: npm test\n        continue-on-error: true'],
      /continue-on-error/,
    ],
    [
      'an expression inside run',
      ['npm test', 'echo ${{ github.event.pull_request.title }}'],
      /expression inside run/,
    ],
    ['a checkout keeping credentials', ['persist-credentials: false', 'fetch-depth: 1'], /keeps credentials/],
  ])('fails on %s', (_, [from, to], problem) => {
    // given
    const bad = clean.replace(from as string, to as string);
    // when
    const problems = workflowProblems(bad);
    // then
    expect(bad).not.toBe(clean);
    expect(problems.join('\n')).toMatch(problem);
  });
});
