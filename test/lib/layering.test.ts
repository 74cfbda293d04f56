import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers/tools';
import {
  LIB_BARREL,
  LIB_LOOSE_FILES,
  RelativeImport,
  cyclesOf,
  folderGraph,
  libFolderOf,
  readLibImports,
} from './import-graph';

/** Where a folder of lib/ sits: the folders it may import, and why it sits there. */
interface Layer {
  readonly mayImport: readonly string[];
  readonly why: string;
}

/**
 * THE layers of lib/, lowest first. A folder imports exactly the folders listed: one that needs a folder
 * above it, or a sibling's internals, shows that a concept is in the wrong place (move it down), not that
 * a line is missing here.
 */
const LAYERS: Readonly<Record<string, Layer>> = {
  'lib/manifest': {
    mayImport: [],
    why: 'what a Kubernetes object, its id and a tree of generated files are: the vocabulary of every other folder',
  },
  'lib/rule': {
    mayImport: [],
    why: 'what names a rule wherever one is reported (policy, release file, SARIF, docs): its id, title and fix',
  },
  'lib/image': {
    mayImport: ['lib/rule'],
    why: 'image references, the catalog, the pins and the one sha- tag definition that policy, release and admission share',
  },
  'lib/git': { mayImport: [], why: 'runs git; knows nothing of what the files hold' },
  'lib/cli': { mayImport: [], why: 'argument parsing and exit statuses for bin/, whatever the command does' },
  'lib/github': { mayImport: [], why: "main's protection as data, checked before Pulumi declares it" },
  'lib/synth': { mayImport: [], why: "runs cdk8s's validations: depends on cdk8s alone" },
  'lib/network': {
    mayImport: [],
    why: 'typed peers and ports rendered as NetworkPolicies, for any workload',
  },
  'lib/workload': { mayImport: [], why: 'pod-level building blocks (restricted pod, resources, probes)' },
  'lib/argocd-api': {
    mayImport: ['lib/manifest'],
    why: "ArgoCD's CRD types and the conventions our objects follow: shared by the constructs that write them and the rules that check them",
  },
  'lib/argocd': {
    mayImport: ['lib/argocd-api', 'lib/manifest'],
    why: 'the ArgoCD constructs; the policy judges what they render from outside, so they never import it',
  },
  'lib/kustomize': {
    mayImport: ['lib/image', 'lib/manifest'],
    why: 'writes bases and overlays with the image pins, and runs kustomize',
  },
  'lib/drift': {
    mayImport: ['lib/argocd-api', 'lib/manifest'],
    why: "compares the cluster's objects with the tracked manifests; reads the Applications through ArgoCD's types",
  },
  'lib/access': {
    mayImport: ['lib/image', 'lib/manifest'],
    why: "the cluster's RBAC and admission objects; the image admission policy reuses the sha- tag definition",
  },
  'lib/secrets': {
    mayImport: ['lib/manifest', 'lib/rule'],
    why: "kubeseal's encryption, the sealing certificate, the sealed files, a pod's Secret references and the SealedSecret: its errors are rule identities, its names Kubernetes names",
  },
  'lib/policy': {
    mayImport: ['lib/argocd-api', 'lib/image', 'lib/manifest', 'lib/rule', 'lib/secrets'],
    why: 'judges plain objects: needs object types, image definitions, ArgoCD and Sealed Secrets conventions, never a construct',
  },
  'lib/diff': {
    mayImport: ['lib/kustomize', 'lib/manifest'],
    why: 'renders both sides with kustomize and compares the trees of manifests',
  },
  'lib/pulumi': {
    mayImport: ['lib/access', 'lib/github', 'lib/manifest'],
    why: "the admin path's top: wraps the access objects and main's protection as Pulumi components",
  },
  'lib/release': {
    mayImport: ['lib/git', 'lib/image', 'lib/manifest', 'lib/policy'],
    why: "the release path's top: changes a pin, rewrites the tree, commits, and reads rollouts with the policy's pod reading",
  },
  [LIB_LOOSE_FILES]: {
    mayImport: ['lib/image', 'lib/network', 'lib/secrets', 'lib/workload'],
    why: 'production-workload.ts composes an image, its network policies, its Secrets and a restricted pod (it belongs in lib/workload/)',
  },
};

const OUTSIDE_LIB = ['charts/', 'stacks/', 'bin/', 'test/'];

const declaredGraph = (): Map<string, Set<string>> =>
  new Map(Object.entries(LAYERS).map(([folder, layer]) => [folder, new Set(layer.mayImport)]));

/** `from → to` for every edge of `graph`, sorted. */
const edgesOf = (graph: ReadonlyMap<string, ReadonlySet<string>>): string[] =>
  [...graph].flatMap(([from, tos]) => [...tos].map((to) => `${from} → ${to}`)).sort();

/** What is wrong with lib/'s imports against LAYERS, one sentence per problem naming the file and the fix. */
function layeringProblems(imports: readonly RelativeImport[]): string[] {
  const actual = folderGraph(imports);
  const undeclared = imports
    .filter(({ file, target }) => file !== LIB_BARREL && target?.startsWith('lib/') && target !== LIB_BARREL)
    .filter(({ file, target }) => libFolderOf(file) !== libFolderOf(target as string))
    .filter(
      ({ file, target }) => !LAYERS[libFolderOf(file)]?.mayImport.includes(libFolderOf(target as string)),
    )
    .map(
      ({ file, specifier, target }) =>
        `${file} imports '${specifier}': ${libFolderOf(file)} may not import ${libFolderOf(target as string)} ` +
        `(test/lib/layering.test.ts LAYERS); move the shared concept down into a folder both may import`,
    );
  const unused = Object.entries(LAYERS).flatMap(([folder, layer]) =>
    layer.mayImport
      .filter((to) => !actual.get(folder)?.has(to))
      .map((to) => `${folder} may import ${to} but does not: remove it from LAYERS, so the table stays true`),
  );
  return [...undeclared, ...unused];
}

/** Imports that leave lib/ (the app, the tests) or name no file, each with the fix. */
const outsideProblems = (imports: readonly RelativeImport[]): string[] =>
  imports
    .filter(({ target }) => !target?.startsWith('lib/'))
    .map(({ file, specifier, target }) =>
      target && OUTSIDE_LIB.some((folder) => target.startsWith(folder))
        ? `${file} imports '${specifier}' (${target}): lib/ is reusable and knows nothing of the app; pass it in as a prop`
        : `${file} imports '${specifier}', which names no TypeScript file below lib/`,
    );

/** Imports of the barrel from inside lib/, each with the fix. */
const barrelProblems = (imports: readonly RelativeImport[]): string[] =>
  imports
    .filter(({ file, target }) => file !== LIB_BARREL && target === LIB_BARREL)
    .map(({ file, specifier }) => `${file} imports '${specifier}': import the file that defines the name`);

describe('lib/ is layered: each folder imports only the folders below it', () => {
  const imports = readLibImports(REPO_ROOT);

  test('the reader sees the imports of lib/ (a broken reader would pass everything)', () => {
    // then
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({
      file: 'lib/policy/rules.ts',
      specifier: './types',
      target: 'lib/policy/types.ts',
    });
  });

  test('every relative import names a file inside lib/, never charts/, stacks/, bin/ or test/', () => {
    // then
    expect(outsideProblems(imports)).toEqual([]);
  });

  test(`no file of lib/ imports the barrel ${LIB_BARREL} (it imports every folder)`, () => {
    // then
    expect(barrelProblems(imports)).toEqual([]);
  });

  test('every folder of lib/ has a line in LAYERS, and every line a folder', () => {
    // given
    const folders = readdirSync(join(REPO_ROOT, 'lib'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `lib/${entry.name}`);
    const hasLooseFiles = imports.some(
      ({ file }) => file !== LIB_BARREL && libFolderOf(file) === LIB_LOOSE_FILES,
    );
    // then
    expect(Object.keys(LAYERS).sort()).toEqual(
      [...folders, ...(hasLooseFiles ? [LIB_LOOSE_FILES] : [])].sort(),
    );
    for (const layer of Object.values(LAYERS)) expect(layer.why).not.toEqual('');
  });

  test('the folders import exactly what LAYERS allows', () => {
    // then
    expect(layeringProblems(imports)).toEqual([]);
  });

  test('neither LAYERS nor the imports have a cycle', () => {
    // then
    expect(cyclesOf(declaredGraph())).toEqual([]);
    expect(cyclesOf(folderGraph(imports))).toEqual([]);
  });
});

describe('the layering check itself', () => {
  /** A throwaway repository holding `files` (path → content). */
  function repositoryWith(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'layering-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  }

  test('reads every form of import: type-only, multi-line, re-export, dynamic, require and a folder index', () => {
    // given
    const root = repositoryWith({
      'lib/a/all.ts': [
        "import type { T } from '../b/t';",
        "import {\n  x,\n  y,\n} from '../c/xy';",
        "export * from '../d/d';",
        "const later = () => import('../e/e');",
        "const old = require('../f/f');",
        "import { z } from '../g';",
        "import { readFileSync } from 'node:fs';",
      ].join('\n'),
      ...Object.fromEntries(['b/t', 'c/xy', 'd/d', 'e/e', 'f/f', 'g/index'].map((m) => [`lib/${m}.ts`, ''])),
    });
    // when
    const graph = folderGraph(readLibImports(root));
    // then
    expect(edgesOf(graph)).toEqual(
      ['lib/b', 'lib/c', 'lib/d', 'lib/e', 'lib/f', 'lib/g'].map((to) => `lib/a → ${to}`),
    );
  });

  test('an upward import is reported with its file, the rule and the fix', () => {
    // given: the image module reaching up into the release folder
    const root = repositoryWith({
      'lib/image/image-pins.ts': "import { planPinBump } from '../release/pin-bump';",
      'lib/release/pin-bump.ts': '',
    });
    // when
    const problems = layeringProblems(readLibImports(root));
    // then
    expect(problems).toContain(
      "lib/image/image-pins.ts imports '../release/pin-bump': lib/image may not import lib/release " +
        '(test/lib/layering.test.ts LAYERS); move the shared concept down into a folder both may import',
    );
  });

  test('an import of the app, of a missing file or of the barrel is reported with its file and the fix', () => {
    // given
    const root = repositoryWith({
      'lib/argocd/x.ts': "import { settings } from '../../stacks/settings';\nimport { y } from './gone';",
      'lib/policy/p.ts': "import { KubeObject } from '..';",
      'lib/index.ts': "export * from './policy/p';",
      'stacks/settings.ts': '',
    });
    const imports = readLibImports(root);
    // then
    expect(outsideProblems(imports)).toEqual([
      "lib/argocd/x.ts imports '../../stacks/settings' (stacks/settings.ts): lib/ is reusable and knows nothing of the app; pass it in as a prop",
      "lib/argocd/x.ts imports './gone', which names no TypeScript file below lib/",
    ]);
    expect(barrelProblems(imports)).toEqual([
      "lib/policy/p.ts imports '..': import the file that defines the name",
    ]);
  });

  test.each([
    ['two folders importing each other', { a: ['b'], b: ['a'] }, [['a', 'b']]],
    [
      'a cycle through three folders, reported once',
      { a: ['b'], b: ['c'], c: ['a'], d: ['a'] },
      [['a', 'b', 'c']],
    ],
    [
      'two separate cycles',
      { a: ['b'], b: ['a'], c: ['d'], d: ['c'] },
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['a chain with a shared bottom', { a: ['b', 'c'], b: ['c'], c: [] }, []],
  ])('cyclesOf: %s', (_, edges: Record<string, string[]>, expected: string[][]) => {
    // given
    const graph = new Map(Object.entries(edges).map(([from, tos]) => [from, new Set(tos)]));
    // then
    expect(cyclesOf(graph)).toEqual(expected);
  });
});
