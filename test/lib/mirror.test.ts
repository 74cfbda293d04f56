import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers/tools';
import { LIB_BARREL, RelativeImport, filesBelow, readImports } from './import-graph';

/** What the tests of one folder of test/ test, and why a test there may import nothing of the repository but lib/. */
interface TestFolder {
  readonly tests: string;
  /**
   * Why a test here may import lib/ alone: its subject is no source file, or the suite is grouped by the
   * stack it runs against.
   * @default - it may not: a test importing lib/ alone tests lib/, and belongs in test/lib/
   */
  readonly libOnly?: string;
}

/**
 * THE folders of test/ that hold tests, each named after what it tests, so that a failing test names the
 * file to open: test/lib/ mirrors lib/ file for file, the others mirror charts/, stacks/, bin/ and tools/.
 */
const TEST_FOLDERS: Readonly<Record<string, TestFolder>> = {
  'test/lib': {
    tests:
      'lib/, file for file: test/lib/<folder>/<file>(.<aspect>)?(.e2e)?.test.ts tests lib/<folder>/<file>.ts',
    libOnly: 'it is the place of the tests of lib/',
  },
  'test/charts': { tests: 'charts/: the model, the files synth renders and the release path' },
  'test/stacks': { tests: 'stacks/: the Pulumi program and the cluster side, in process' },
  'test/bin': { tests: "bin/'s commands end to end, as npm runs them (and what they write)" },
  'test/tools': { tests: 'tools/: the pinned Go modules and the scripts the tools are built with' },
  'test/workflows': { tests: '.github/workflows/: the jobs, what they run and what they may do' },
  'test/support': { tests: 'the set-up of the test groups themselves (test/support/)' },
  'test/docs': {
    tests: 'the README and docs/: what they name exists, what they tell you to do works',
    libOnly: 'a document is read as text, never imported: lib/ is what it is checked against',
  },
  'test/gitops-host': {
    tests: "the GitOps suite's git host (test/gitops/support/git-host/), without the stack",
    libOnly: 'its subject is a helper of the GitOps suite',
  },
  'test/cluster': {
    tests: 'infra/ on a real kube-apiserver (npm run test:cluster)',
    libOnly: 'the suite is grouped by the stack its run.sh starts, not by source',
  },
  'test/gitops': {
    tests: 'the generated objects synced by a real ArgoCD (npm run test:gitops)',
    libOnly: 'the suite is grouped by the stack its run.sh starts, not by source',
  },
  'test/pulumi-engine': {
    tests: 'the admin path run by the real Pulumi engine (npm run test:pulumi)',
    libOnly: 'the suite is grouped by the stack its run.sh starts, not by source',
  },
};

/** Tests directly in test/lib/ that check lib/ as a whole, so mirror no one file. */
const WHOLE_LIB_CHECKS: Readonly<Record<string, string>> = {
  'test/lib/layering.test.ts': "the folders of lib/ import only the folders below them (lib/'s imports)",
  'test/lib/mirror.test.ts': 'the tests of lib/ mirror their sources (this file)',
};

/**
 * A test of lib/: folder (none for a file at the top of lib/), the source's name, an optional aspect
 * (`x.<aspect>.test.ts`, a second file for the same source) and `.e2e` for the process group.
 */
const LIB_TEST = /^test\/lib\/(?:([\w-]+)\/)?([\w-]+)(?:\.(?!e2e\.test\.ts$)[\w-]+)?(?:\.e2e)?\.test\.ts$/;

const FOLDER_HINT =
  'a test of lib/<folder>/<file>.ts goes in test/lib/<folder>/<file>.test.ts; one of charts/, stacks/, bin/ ' +
  'or tools/ in test/charts/, test/stacks/, test/bin/ or test/tools/';

/** The folder of TEST_FOLDERS a test file sits in: its first two segments. */
const testFolderOf = (file: string): string => file.split('/').slice(0, 2).join('/');

/** Every test file below `root`/test, relative to `root`. */
const testFilesOf = (root: string): string[] => filesBelow(root, 'test', '.test.ts');

/** Test files in no folder of TEST_FOLDERS, and folders of TEST_FOLDERS without a test, each with the fix. */
function folderProblems(testFiles: readonly string[]): string[] {
  const misplaced = testFiles
    .filter((file) => !(testFolderOf(file) in TEST_FOLDERS))
    .map(
      (file) =>
        `${file}: ${testFolderOf(file)}/ is no folder of TEST_FOLDERS (test/lib/mirror.test.ts): ${FOLDER_HINT} (git mv)`,
    );
  const unused = Object.keys(TEST_FOLDERS)
    .filter((folder) => !testFiles.some((file) => testFolderOf(file) === folder))
    .map((folder) => `${folder} holds no test: remove it from TEST_FOLDERS, so the table stays true`);
  return [...misplaced, ...unused];
}

/** Tests of test/lib/ that name no file of lib/, each with the fix. */
function mirrorProblems(root: string, testFiles: readonly string[]): string[] {
  return testFiles
    .filter((file) => file.startsWith('test/lib/') && !(file in WHOLE_LIB_CHECKS))
    .flatMap((file) => {
      const match = LIB_TEST.exec(file);
      if (!match) {
        return [
          `${file} is not test/lib/<folder>/<file>(.<aspect>)?(.e2e)?.test.ts: name it after the lib/ file it tests (git mv)`,
        ];
      }
      const [, folder, name] = match;
      const source = folder ? `lib/${folder}/${name}.ts` : `lib/${name}.ts`;
      return existsSync(join(root, source))
        ? []
        : [
            `${file} names ${source}, which does not exist: name it after the lib/ file it tests ` +
              '(test/lib/<folder>/<file>.test.ts, or <file>.<aspect>.test.ts for a second file of one source), ' +
              'or move it out of test/lib/ if it tests charts/, stacks/, bin/ or tools/',
          ];
    });
}

/**
 * Where a test of lib/ that imports only `targets` belongs: beside the one file it imports, else in the one
 * folder it imports (a folder's index.ts names no file).
 */
function libTestPathFor(file: string, targets: readonly string[]): string {
  const e2e = file.endsWith('.e2e.test.ts') ? '.e2e' : '';
  const files = [...new Set(targets.filter((target) => !target.endsWith('/index.ts')))];
  const folders = [...new Set(targets.filter((target) => target !== LIB_BARREL).map(dirname))];
  if (files.length === 1) return `test/${files[0].replace(/\.ts$/, '')}${e2e}.test.ts`;
  if (folders.length === 1) return `test/${folders[0]}/<file>${e2e}.test.ts, named after the file it tests`;
  return `test/lib/<folder>/<file>${e2e}.test.ts, named after the lib/ file it tests`;
}

/**
 * Tests outside test/lib/ whose imports of the repository (test helpers aside) are all of lib/: they test
 * lib/, so they belong in test/lib/. A folder whose subject is no source file (TEST_FOLDERS' libOnly) may
 * hold such tests.
 */
function libOnlyProblems(imports: readonly RelativeImport[]): string[] {
  const targetsOf = new Map<string, string[]>();
  for (const { file, target } of imports) {
    if (!target || target.startsWith('test/')) continue;
    targetsOf.set(file, [...(targetsOf.get(file) ?? []), target]);
  }
  return [...targetsOf]
    .filter(([file]) => TEST_FOLDERS[testFolderOf(file)]?.libOnly === undefined)
    .filter(([, targets]) => targets.every((target) => target.startsWith('lib/')))
    .map(
      ([file, targets]) =>
        `${file} imports nothing of the repository but lib/ (${[...new Set(targets)].join(', ')}): it tests lib/, ` +
        `so move it to ${libTestPathFor(file, targets)} (git mv)`,
    );
}

/** Snapshot files that no test reads (jest names one after its test: __snapshots__/<test file>.snap). */
function snapshotProblems(root: string): string[] {
  return filesBelow(root, 'test', '.snap')
    .filter((snapshot) => basename(dirname(snapshot)) === '__snapshots__')
    .map((snapshot) => ({
      snapshot,
      test: join(dirname(dirname(snapshot)), basename(snapshot, '.snap')),
    }))
    .filter(({ test }) => !existsSync(join(root, test)))
    .map(
      ({ snapshot, test }) =>
        `${snapshot} belongs to ${test}, which does not exist: move the snapshot with its test ` +
        '(__snapshots__/<test file>.snap beside it), never record it again',
    );
}

describe('tests mirror their sources: a failing test names the file to open', () => {
  const testFiles = testFilesOf(REPO_ROOT);
  const outsideLib = testFiles.filter((file) => !file.startsWith('test/lib/'));

  test('the reader sees the tests (a broken reader would pass everything)', () => {
    // then
    expect(testFiles.length).toBeGreaterThan(100);
    expect(testFiles).toContain('test/lib/network/network-peer.test.ts');
    expect(readImports(REPO_ROOT, ['test/lib/drift/tracking-id.test.ts'])).toContainEqual({
      file: 'test/lib/drift/tracking-id.test.ts',
      specifier: '../../../lib/drift/tracking-id',
      target: 'lib/drift/tracking-id.ts',
    });
  });

  test('every test sits in a folder of TEST_FOLDERS, and every folder there holds tests', () => {
    // then
    expect(folderProblems(testFiles)).toEqual([]);
  });

  test('every test of test/lib/ is test/lib/<folder>/<file>(.<aspect>)?(.e2e)?.test.ts of an existing lib/<folder>/<file>.ts', () => {
    // then
    expect(mirrorProblems(REPO_ROOT, testFiles)).toEqual([]);
  });

  test('no test outside test/lib/ imports lib/ alone (such a test tests lib/)', () => {
    // then
    expect(libOnlyProblems(readImports(REPO_ROOT, outsideLib))).toEqual([]);
  });

  test('every snapshot file sits beside the test that reads it', () => {
    // then
    expect(snapshotProblems(REPO_ROOT)).toEqual([]);
  });
});

describe('the mirror check itself', () => {
  /** A throwaway repository holding `files` (path → content). */
  function repositoryWith(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'mirror-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  }

  test.each([
    'test/lib/access/cel.test.ts',
    'test/lib/access/cel.escaping.test.ts',
    'test/lib/access/cel.e2e.test.ts',
    'test/lib/access/cel.escaping.e2e.test.ts',
    'test/lib/loose.test.ts',
    'test/lib/layering.test.ts',
  ])('passes: %s', (file) => {
    // given
    const root = repositoryWith({ 'lib/access/cel.ts': '', 'lib/loose.ts': '', [file]: '' });
    // then
    expect(mirrorProblems(root, testFilesOf(root))).toEqual([]);
  });

  test('fails: a test of test/lib/ named after no file of lib/, or nested too deep, naming the file and the fix', () => {
    // given
    const root = repositoryWith({
      'lib/access/cel.ts': '',
      'test/lib/access/cel-escaping.test.ts': '',
      'test/lib/access/deeper/cel.test.ts': '',
    });
    // then
    expect(mirrorProblems(root, testFilesOf(root))).toEqual([
      'test/lib/access/cel-escaping.test.ts names lib/access/cel-escaping.ts, which does not exist: name it ' +
        'after the lib/ file it tests (test/lib/<folder>/<file>.test.ts, or <file>.<aspect>.test.ts for a ' +
        'second file of one source), or move it out of test/lib/ if it tests charts/, stacks/, bin/ or tools/',
      'test/lib/access/deeper/cel.test.ts is not test/lib/<folder>/<file>(.<aspect>)?(.e2e)?.test.ts: name it ' +
        'after the lib/ file it tests (git mv)',
    ]);
  });

  test('fails: a test of lib/ outside test/lib/, naming the file and where it belongs', () => {
    // given: a test of lib/access/cel.ts left in a folder of its own, and a process test beside the charts
    const root = repositoryWith({
      'lib/index.ts': '',
      'lib/access/cel.ts': '',
      'lib/access/audit-policy.ts': '',
      'charts/app.ts': '',
      'test/helpers/fixtures.ts': '',
      'lib/access/index.ts': '',
      'test/access/cel.test.ts': "import { celString } from '../../lib/access/cel';",
      'test/access/audit.test.ts':
        "import { a } from '../../lib/access';\nimport { f } from '../helpers/fixtures';",
      'test/charts/audit.e2e.test.ts':
        "import { a } from '../../lib';\nimport { b } from '../../lib/access/audit-policy';\nimport { f } from '../helpers/fixtures';",
      'test/charts/app.test.ts': "import { a } from '../../lib';\nimport { app } from '../../charts/app';",
      'test/bin/synth.e2e.test.ts': "import { f } from '../helpers/fixtures';",
      'test/docs/rule-ids.test.ts': "import { a } from '../../lib';",
    });
    const testFiles = testFilesOf(root);
    // when
    const imports = readImports(
      root,
      testFiles.filter((file) => !file.startsWith('test/lib/')),
    );
    // then
    expect(folderProblems(testFiles)).toContain(
      `test/access/cel.test.ts: test/access/ is no folder of TEST_FOLDERS (test/lib/mirror.test.ts): ${FOLDER_HINT} (git mv)`,
    );
    expect(libOnlyProblems(imports)).toEqual([
      'test/access/audit.test.ts imports nothing of the repository but lib/ (lib/access/index.ts): it tests ' +
        'lib/, so move it to test/lib/access/<file>.test.ts, named after the file it tests (git mv)',
      'test/access/cel.test.ts imports nothing of the repository but lib/ (lib/access/cel.ts): it tests lib/, ' +
        'so move it to test/lib/access/cel.test.ts (git mv)',
      'test/charts/audit.e2e.test.ts imports nothing of the repository but lib/ (lib/index.ts, ' +
        'lib/access/audit-policy.ts): it tests lib/, so move it to test/lib/access/audit-policy.e2e.test.ts (git mv)',
    ]);
  });

  test('fails: a snapshot file left behind by its test, naming it and the fix', () => {
    // given
    const root = repositoryWith({
      'test/charts/argocd-chart.test.ts': '',
      'test/charts/__snapshots__/argocd-chart.test.ts.snap': '',
      'test/charts/__snapshots__/argocd.test.ts.snap': '',
    });
    // then
    expect(snapshotProblems(root)).toEqual([
      'test/charts/__snapshots__/argocd.test.ts.snap belongs to test/charts/argocd.test.ts, which does not ' +
        'exist: move the snapshot with its test (__snapshots__/<test file>.snap beside it), never record it again',
    ]);
  });
});
