import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ImageSource } from '../../lib/image/image-source';
import { RELEASE_PATHS } from '../../charts/release';
import { releaseDispatchEvent, repository } from '../../charts/config';
import { imageSources } from '../../charts/images';
import { REPO_ROOT } from '../helpers/tools';
import {
  ReleaseTriggerExpectations,
  Workflow,
  globToRegExp,
  npmScriptsRun,
  parseWorkflow,
  releaseTriggerProblems,
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

  test('pull requests run exactly the jobs verify, manifests, conformance and diff, the required checks of main', () => {
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
      ['conformance', 'conformance'],
      ['diff', 'diff'],
    ]);
    expect(stack.config['production-infra:requiredChecks']).toEqual(Object.keys(pullRequest.jobs));
    expect(pullRequest.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
  });

  test('every npm script the workflows run exists', () => {
    // given
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    // when
    const used = [...npmScriptsRun(pullRequest), ...npmScriptsRun(release)];
    // then
    expect(used).toEqual(
      expect.arrayContaining([
        'diff',
        'policy',
        'release:plan',
        'release:publish',
        'release:tag',
        'release:verify',
        'synth',
      ]),
    );
    expect(used.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  test('releases never race: one concurrency group, queued, not cancelled, and one publish at a time', () => {
    // then
    expect(release.concurrency).toEqual({ group: 'release-production', 'cancel-in-progress': false });
    expect(release.jobs.publish.strategy?.['max-parallel']).toBe(1);
    expect(release.jobs.publish.environment).toBe('release');
  });

  test('every catalog image can be released, and the push paths are exactly the folders built here', () => {
    // given
    const expected: ReleaseTriggerExpectations = {
      sources: imageSources,
      dispatchEvent: releaseDispatchEvent,
      branch: repository.productionBranch,
      root: REPO_ROOT,
    };
    // when
    const problems = releaseTriggerProblems(release, expected);
    // then
    expect(problems).toEqual([]);
    expect(Object.keys(release.on ?? {}).sort()).toEqual(
      [
        ...(Object.values(imageSources).some((source) => source.builtHere) ? ['push'] : []),
        ...(Object.values(imageSources).some((source) => !source.builtHere)
          ? ['repository_dispatch', 'workflow_dispatch']
          : []),
      ].sort(),
    );
  });

  test('a release commit cannot trigger another release: only a push can, and its paths match no released file', () => {
    // given: files a release commit may change
    const released = RELEASE_PATHS.map((path) =>
      path.endsWith('/') ? `${path}k8s/backend/overlays/prod/kustomization.yaml` : path,
    );
    const push = release.on?.push as { paths?: string[] } | undefined;
    // when
    const triggers = push === undefined ? [] : (push.paths ?? ['**']).map(globToRegExp);
    // then
    expect(released.filter((path) => triggers.some((trigger) => trigger.test(path)))).toEqual([]);
    expect(
      Object.keys(release.on ?? {}).filter(
        (event) => !['push', 'repository_dispatch', 'workflow_dispatch'].includes(event),
      ),
    ).toEqual([]);
  });

  test('the release plans, then builds, then publishes, then waits for ArgoCD, every image of the plan', () => {
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
      ['plan', []],
      ['image', 'plan'],
      ['publish', ['plan', 'image']],
      ['rollout', ['plan', 'publish']],
    ]);
    for (const id of ['image', 'publish', 'rollout']) {
      expect(release.jobs[id].strategy?.matrix).toEqual({
        include: '${{ fromJSON(needs.plan.outputs.images) }}',
      });
      expect(release.jobs[id].if).toBe("needs.plan.outputs.count != '0'");
    }
    expect(runs).toContain('npm run --silent release:plan -- "$@" >>"$GITHUB_OUTPUT"');
    expect(runs).toContain('docker buildx imagetools inspect "$REFERENCE"');
    expect(runs).toContain('npm run --silent release:publish -- "$IMAGE" "$COMMIT"');
    expect(runs).toContain('npm run --silent release:verify -- "$IMAGE" "$TAG"');
    expect(runs).not.toMatch(/git push/);
    expect(appToken?.with).toEqual({
      'app-id': '${{ secrets.RELEASE_APP_ID }}',
      'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
      'permission-contents': 'write',
    });
  });

  test('an image is built only from its catalog folder, and only when another repository does not build it', () => {
    // when
    const build = release.jobs.image.steps?.find((step) => step.name === 'build and push');
    // then
    expect(build?.if).toBe("matrix.context != ''");
    expect(build?.env).toMatchObject({ BUILD_CONTEXT: '${{ matrix.context }}' });
    expect(build?.run).toMatch(/"\$BUILD_CONTEXT"\s*$/);
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

describe('releaseTriggerProblems', () => {
  const workflow = (on: string): Workflow => parseWorkflow(`on:\n${on}\njobs: {}\n`);
  const dispatchable = `  repository_dispatch: { types: [release-image] }
  workflow_dispatch: { inputs: { image: { required: true }, commit: { required: true } } }`;
  // A repository with one image source folder, services/worker, holding a Dockerfile.
  const root = mkdtempSync(join(tmpdir(), 'sources-'));
  mkdirSync(join(root, 'services', 'worker'), { recursive: true });
  writeFileSync(join(root, 'services', 'worker', 'Dockerfile'), 'FROM scratch\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const expectations = (sources: Record<string, ImageSource>): ReleaseTriggerExpectations => ({
    sources,
    dispatchEvent: 'release-image',
    branch: 'main',
    root,
  });
  const here = { worker: ImageSource.folder('services/worker') };
  const elsewhere = { backend: ImageSource.externalRepository('acme/backend') };

  test.each<[string, string, Record<string, ImageSource>]>([
    ['only images of other repositories', dispatchable, elsewhere],
    ['only an image built here', '  push: { branches: [main], paths: [services/worker/**] }', here],
    [
      'both',
      `  push: { branches: [main], paths: [services/worker/**] }\n${dispatchable}`,
      { ...here, ...elsewhere },
    ],
  ])('finds nothing when each image can be released and nothing else triggers: %s', (_what, on, sources) => {
    // when / then
    expect(releaseTriggerProblems(workflow(on), expectations(sources))).toEqual([]);
  });

  test.each<[string, string, Record<string, ImageSource>, RegExp]>([
    [
      'a push path of a folder no image is built from (backend/** before)',
      `  push: { branches: [main], paths: [backend/**] }\n${dispatchable}`,
      elsewhere,
      /on.push is set, but no catalog image is built from a folder/,
    ],
    [
      'a folder built here with no push path',
      dispatchable,
      { ...elsewhere, ...here },
      /on.push.paths are \[\], the catalog's folders are \[services\/worker\/\*\*\]/,
    ],
    [
      'a source folder with no Dockerfile',
      `  push: { branches: [main], paths: [services/api/**] }`,
      { api: ImageSource.folder('services/api') },
      /image api is built from folder services\/api, which holds no Dockerfile/,
    ],
    [
      'a push path that is not a catalog folder',
      `  push: { branches: [main], paths: [services/worker/**, docs/**] }`,
      here,
      /on.push.paths are \[docs\/\*\*, services\/worker\/\*\*\]/,
    ],
    [
      'a push on another branch',
      `  push: { branches: [dev], paths: [services/worker/**] }`,
      here,
      /on.push.branches must be \[main\]/,
    ],
    [
      'an image of another repository and no dispatch',
      `  workflow_dispatch: { inputs: { image: { required: true }, commit: { required: true } } }`,
      elsewhere,
      /need on.repository_dispatch.types \[release-image\]/,
    ],
    [
      'a manual dispatch without the commit input',
      `  repository_dispatch: { types: [release-image] }\n  workflow_dispatch: { inputs: { image: { required: true } } }`,
      elsewhere,
      /workflow_dispatch needs the required inputs image and commit/,
    ],
  ])('fails on %s', (_what, on, sources, problem) => {
    // when
    const problems = releaseTriggerProblems(workflow(on), expectations(sources));
    // then
    expect(problems.join('\n')).toMatch(problem);
  });
});
