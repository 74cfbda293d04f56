import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/** The public barrel of the library: what charts/, stacks/ and bin/ import, never lib/ itself. */
export const LIB_BARREL = 'lib/index.ts';

/** The node of a file at the top of lib/ (no folder of its own yet). */
export const LIB_LOOSE_FILES = 'lib/*.ts';

/** One relative import of a TypeScript file (of lib/, or a test), as written and as resolved. */
export interface RelativeImport {
  /** The importing file, relative to the repository root with `/`, e.g. `lib/policy/rules.ts`. */
  readonly file: string;
  /** The module specifier as written, e.g. `../manifest/kube-object`. */
  readonly specifier: string;
  /**
   * The file it names, relative to the repository root: `<path>.ts` or `<path>/index.ts`.
   * @default - the specifier names no TypeScript file
   */
  readonly target?: string;
}

const toPosix = (path: string): string => path.split(sep).join('/');

/** The TypeScript file a relative specifier of `file` names, as Node's resolution under tsc finds it. */
function resolveSpecifier(root: string, file: string, specifier: string): string | undefined {
  const base = normalize(join(dirname(file), specifier));
  return [`${base}.ts`, join(base, 'index.ts'), base]
    .map(toPosix)
    .find((candidate) => candidate.endsWith('.ts') && existsSync(join(root, candidate)));
}

/** The files below `root`/`folder` whose names end with `suffix`, relative to `root` with `/`, sorted. */
export function filesBelow(root: string, folder: string, suffix: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith(suffix) && !path.split(sep).includes('node_modules'))
    .map((path) => toPosix(join(folder, path)))
    .sort();
}

/**
 * Every relative import of `files` (relative to `root`): static imports, `import type`, re-exports, dynamic
 * `import()` and `require()` (TypeScript's own pre-processor finds them, so no form is missed). Package
 * imports (`cdk8s`, `node:fs`) are left out: they are not part of the layering, nor of what a test tests.
 */
export function readImports(root: string, files: readonly string[]): RelativeImport[] {
  return files.flatMap((file) =>
    preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ file, specifier, target: resolveSpecifier(root, file, specifier) })),
  );
}

/** Every relative import of every TypeScript file below `root`/lib (see readImports). */
export const readLibImports = (root: string): RelativeImport[] =>
  readImports(root, filesBelow(root, 'lib', '.ts'));

/** The folder node of a lib/ file: `lib/policy` for `lib/policy/rules.ts`, `lib/*.ts` for `lib/cidr.ts`. */
export function libFolderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : LIB_LOOSE_FILES;
}

/** Folder → the other folders its files import, from imports that stay inside lib/ (the barrel left out). */
export function folderGraph(imports: readonly RelativeImport[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { file, target } of imports) {
    if (file === LIB_BARREL || !target?.startsWith('lib/') || target === LIB_BARREL) continue;
    const [from, to] = [libFolderOf(file), libFolderOf(target)];
    if (from !== to) graph.set(from, (graph.get(from) ?? new Set()).add(to));
  }
  return graph;
}

/**
 * The cycles of a directed graph: each strongly connected set of two or more nodes (Tarjan's algorithm),
 * its nodes sorted, the sets sorted by their first node. Empty when the graph is layered.
 */
export function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node) as number, lowLink.get(next) as number));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) as number, index.get(next) as number));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}
