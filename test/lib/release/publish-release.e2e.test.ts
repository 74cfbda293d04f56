import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PublishRefusedError,
  ReleaseDecision,
  ReleaseError,
  ReleaseWorkflow,
  gitIn,
  publishRelease,
  workflowRefOf,
} from '../../../lib';
import { GIT_ENV, commitAll, git } from '../../helpers/git-repo';
import { checkoutState } from '../../helpers/checkout-state';

const PINS = 'charts/image-pins.json';

const WORKFLOW: ReleaseWorkflow = {
  repository: 'robson/production-infra',
  path: '.github/workflows/release.yml',
  ref: 'refs/heads/main',
};
/** What GitHub Actions sets in a run of the release workflow on main. */
const WORKFLOW_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKFLOW_REF: 'robson/production-infra/.github/workflows/release.yml@refs/heads/main',
};

interface World {
  readonly dir: string;
  readonly remote: string;
  /** The CI checkout that publishes: detached at the commit, no local branch, as actions/checkout of a sha. */
  readonly ci: string;
  /** Another clone, pushing concurrently. */
  readonly other: string;
}

function world(): World {
  const dir = mkdtempSync(join(tmpdir(), 'publish-'));
  const remote = join(dir, 'remote.git');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const seed = join(dir, 'seed');
  git(dir, 'clone', '--quiet', remote, seed);
  mkdirSync(join(seed, 'charts'));
  mkdirSync(join(seed, 'infra'));
  writeFileSync(join(seed, PINS), '{ "backend": "sha-1111111" }\n');
  writeFileSync(join(seed, 'infra/deployment.yaml'), 'image: backend:sha-1111111\n');
  writeFileSync(join(seed, 'README.md'), 'v1\n');
  commitAll(seed, 'seed');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  const ci = join(dir, 'ci');
  const other = join(dir, 'other');
  git(dir, 'clone', '--quiet', remote, ci);
  git(ci, 'checkout', '--quiet', '--detach');
  git(ci, 'branch', '--quiet', '--delete', 'main');
  git(dir, 'clone', '--quiet', remote, other);
  return { dir, remote, ci, other };
}

/** A concurrent merge: another commit lands on the remote main. */
function pushCompetingCommit(w: World, n: number): void {
  git(w.other, 'pull', '--quiet', '--ff-only', 'origin', 'main');
  writeFileSync(join(w.other, 'README.md'), `v${n}\n`);
  commitAll(w.other, `concurrent merge ${n}`);
  git(w.other, 'push', '--quiet', 'origin', 'HEAD:main');
}

/** What `npm run release` does, in small: the pin and a generated file. */
function bumpFiles(ci: string): void {
  writeFileSync(join(ci, PINS), '{ "backend": "sha-0a1b2c3" }\n');
  writeFileSync(join(ci, 'infra/deployment.yaml'), 'image: backend:sha-0a1b2c3\n');
}

describe('publishRelease (npm run release:publish)', () => {
  let w: World;
  let pauses: number[];
  let logs: string[];
  beforeEach(() => {
    w = world();
    pauses = [];
    logs = [];
  });
  afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

  const props = (bump: () => void, overrides: Partial<Parameters<typeof publishRelease>[0]> = {}) => ({
    git: gitIn(w.ci, GIT_ENV),
    workflow: WORKFLOW,
    env: WORKFLOW_ENV as NodeJS.ProcessEnv,
    branch: 'main',
    message: 'release: backend sha-0a1b2c3',
    allowedPaths: [PINS, 'infra/'],
    requiredPath: PINS,
    decide: () => ReleaseDecision.RELEASE,
    bump,
    maxAttempts: 3,
    pause: (attempt: number) => pauses.push(attempt),
    log: (line: string) => logs.push(line),
    ...overrides,
  });

  test('commits the bump as the configured identity and pushes it to main', () => {
    // when
    const result = publishRelease(props(() => bumpFiles(w.ci)));
    // then
    expect(result).toEqual({ decision: ReleaseDecision.RELEASE, commit: expect.any(String), attempts: 1 });
    expect(git(w.remote, 'rev-parse', 'main')).toBe(result.commit);
    expect(git(w.remote, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      `${GIT_ENV.GIT_AUTHOR_NAME} <${GIT_ENV.GIT_AUTHOR_EMAIL}>|release: backend sha-0a1b2c3`,
    );
    expect(git(w.remote, 'diff', '--name-only', 'main~1', 'main').split('\n')).toEqual([
      PINS,
      'infra/deployment.yaml',
    ]);
  });

  test('on a push race, starts again from the new main, re-runs the bump and pushes on top', () => {
    // given: another merge lands between the fetch and the push of the first attempt
    let bumps = 0;
    const bump = () => {
      bumps++;
      if (bumps === 1) pushCompetingCommit(w, 2);
      bumpFiles(w.ci);
    };
    // when
    const result = publishRelease(props(bump));
    // then
    expect(result.attempts).toBe(2);
    expect(bumps).toBe(2);
    expect(pauses).toEqual([1]);
    expect(logs.join('\n')).toMatch(/attempt 1\/3 was rejected/);
    expect(git(w.remote, 'log', '--format=%s', 'main').split('\n')).toEqual([
      'release: backend sha-0a1b2c3',
      'concurrent merge 2',
      'seed',
    ]);
    expect(git(w.remote, 'show', 'main:README.md')).toBe('v2');
  });

  test("fails loudly after the last attempt when every push loses the race, naming git's error", () => {
    // given: a concurrent merge before every push
    let n = 1;
    const bump = () => {
      pushCompetingCommit(w, ++n);
      bumpFiles(w.ci);
    };
    // when / then
    expect(() => publishRelease(props(bump))).toThrow(
      /the release was not pushed to origin\/main after 3 attempts; last error: git push .*rejected/s,
    );
    expect(pauses).toEqual([1, 2]);
    expect(git(w.remote, 'log', '-1', '--format=%s', 'main')).toBe('concurrent merge 4');
  });

  test('fails before committing when the bump changes a path outside the release paths', () => {
    // given
    const bump = () => {
      bumpFiles(w.ci);
      writeFileSync(join(w.ci, 'README.md'), 'sneaked in\n');
    };
    const head = git(w.remote, 'rev-parse', 'main');
    // when / then
    expect(() => publishRelease(props(bump))).toThrow(
      /may change only charts\/image-pins\.json, infra\/ .*it changes \[README\.md, charts\/image-pins\.json, infra\/deployment\.yaml\]/,
    );
    expect(git(w.remote, 'rev-parse', 'main')).toBe(head);
    expect(git(w.ci, 'rev-parse', 'HEAD')).toBe(head);
  });

  test('fails when the bump does not change the release file', () => {
    // given
    const bump = () => writeFileSync(join(w.ci, 'infra/deployment.yaml'), 'changed\n');
    // when / then
    expect(() => publishRelease(props(bump))).toThrow(/must change charts\/image-pins\.json/);
  });

  test('pushes nothing when main already holds the release (a re-run)', () => {
    // given
    const head = git(w.remote, 'rev-parse', 'main');
    let bumps = 0;
    // when
    const result = publishRelease(props(() => bumps++, { decide: () => ReleaseDecision.ALREADY_RELEASED }));
    // then
    expect(result).toEqual({ decision: ReleaseDecision.ALREADY_RELEASED, commit: head, attempts: 1 });
    expect(bumps).toBe(0);
    expect(git(w.remote, 'rev-parse', 'main')).toBe(head);
  });

  test('fails when the decision refuses the release, pushing nothing', () => {
    // given
    const head = git(w.remote, 'rev-parse', 'main');
    const decide = (): ReleaseDecision => {
      throw new ReleaseError('refusing to replace …');
    };
    // when / then
    expect(() => publishRelease(props(() => bumpFiles(w.ci), { decide }))).toThrow(/refusing to replace/);
    expect(git(w.remote, 'rev-parse', 'main')).toBe(head);
  });

  test('leaves the checkout detached and every local ref where it was', () => {
    // when
    const result = publishRelease(props(() => bumpFiles(w.ci)));
    // then
    expect(git(w.ci, 'rev-parse', 'HEAD')).toBe(result.commit);
    expect(git(w.ci, 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('');
  });
});

describe('publishRelease refuses anywhere but a clean, detached, branch-less checkout in the release workflow', () => {
  let w: World;
  beforeEach(() => {
    w = world();
    // A commit lands on the remote after the clone: a fetch would move origin/main, so it would show.
    pushCompetingCommit(w, 2);
  });
  afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

  test.each<[string, (ci: string) => void, NodeJS.ProcessEnv, RegExp]>([
    [
      'fails on a branch with a commit that is not pushed',
      (ci) => {
        git(ci, 'checkout', '--quiet', '-b', 'feature');
        writeFileSync(join(ci, 'README.md'), 'my work\n');
        commitAll(ci, 'work in progress');
      },
      WORKFLOW_ENV,
      /HEAD is on branch "feature": publishing needs a detached checkout[^]*local branches exist \(feature\)/,
    ],
    [
      'fails with a staged change',
      (ci) => {
        writeFileSync(join(ci, 'README.md'), 'staged\n');
        git(ci, 'add', 'README.md');
      },
      WORKFLOW_ENV,
      /staged, changed or untracked files \(README\.md\)/,
    ],
    [
      'fails with a change that is not staged',
      (ci) => writeFileSync(join(ci, 'README.md'), 'edited\n'),
      WORKFLOW_ENV,
      /staged, changed or untracked files \(README\.md\)/,
    ],
    [
      'fails with an untracked file',
      (ci) => writeFileSync(join(ci, 'notes.txt'), 'work in progress\n'),
      WORKFLOW_ENV,
      /staged, changed or untracked files \(notes\.txt\)/,
    ],
    [
      'fails with a local branch, even on a detached HEAD',
      (ci) => git(ci, 'branch', 'keep'),
      WORKFLOW_ENV,
      /local branches exist \(keep\)/,
    ],
    [
      'fails outside GitHub Actions',
      () => undefined,
      { GITHUB_ACTIONS: '', GITHUB_WORKFLOW_REF: '' },
      /not in the release workflow: .*here GITHUB_ACTIONS is unset and GITHUB_WORKFLOW_REF is unset/,
    ],
    [
      'fails in another workflow of the repository',
      () => undefined,
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKFLOW_REF: 'robson/production-infra/.github/workflows/pull-request.yml@refs/pull/7/merge',
      },
      /not in the release workflow: .*GITHUB_WORKFLOW_REF is "robson\/production-infra\/\.github\/workflows\/pull-request\.yml@refs\/pull\/7\/merge"/,
    ],
    [
      'fails in the release workflow run from another branch',
      () => undefined,
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKFLOW_REF: 'robson/production-infra/.github/workflows/release.yml@refs/heads/feature',
      },
      /not in the release workflow/,
    ],
    [
      'fails in the release workflow of a fork',
      () => undefined,
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKFLOW_REF: 'someone/production-infra/.github/workflows/release.yml@refs/heads/main',
      },
      /not in the release workflow/,
    ],
  ])('%s, changing nothing', (_name, prepare, env, reason) => {
    // given
    prepare(w.ci);
    const before = checkoutState(w.ci);
    let called = 0;
    // when
    const publish = () =>
      publishRelease({
        git: gitIn(w.ci, GIT_ENV),
        workflow: WORKFLOW,
        env,
        branch: 'main',
        message: 'release',
        allowedPaths: [PINS, 'infra/'],
        requiredPath: PINS,
        decide: () => {
          called++;
          return ReleaseDecision.RELEASE;
        },
        bump: () => called++,
        log: () => undefined,
      });
    // then
    expect(publish).toThrow(PublishRefusedError);
    expect(publish).toThrow(reason);
    expect(publish).toThrow(/refusing to publish; nothing was fetched, reset, committed or pushed/);
    expect(called).toBe(0);
    expect(checkoutState(w.ci)).toEqual(before);
  });

  test('accepts the repository in any letter case, as GitHub matches it', () => {
    // given
    const env = {
      ...WORKFLOW_ENV,
      GITHUB_WORKFLOW_REF: workflowRefOf({ ...WORKFLOW, repository: 'Robson/Production-Infra' }),
    };
    // when
    const result = publishRelease({
      git: gitIn(w.ci, GIT_ENV),
      workflow: WORKFLOW,
      env,
      branch: 'main',
      message: 'release',
      allowedPaths: [PINS, 'infra/'],
      requiredPath: PINS,
      decide: () => ReleaseDecision.RELEASE,
      bump: () => bumpFiles(w.ci),
      log: () => undefined,
    });
    // then
    expect(git(w.remote, 'rev-parse', 'main')).toBe(result.commit);
  });
});
