import { Dirent, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';
import { SourcedObject } from './evaluate';
import { loadYamlDocuments, positionFinder } from './kubernetes-yaml';
import { KubeObject } from '../manifest/kube-object';

/**
 * A file that cannot be read or is not a list of Kubernetes objects, with where in it: kept apart, so
 * that a report places it (a SARIF region) without parsing `location` back.
 */
export class ManifestError extends Error {
  /** `file`, `file:line` or `file:line items[i]`, as the reports print it. */
  public readonly location: string;

  constructor(
    public readonly file: string,
    public readonly reason: string,
    /** 1-based line, when the problem is at one. */
    public readonly line?: number,
    /** The List item it is, e.g. ` items[2]`. */
    public readonly item = '',
  ) {
    const location = line === undefined ? file : `${file}:${line}${item}`;
    super(`${location}: ${reason}`);
    this.location = location;
    this.name = 'ManifestError';
  }
}

const isYaml = (path: string): boolean => path.endsWith('.yaml') || path.endsWith('.yml');

/** Whether `path` leads to a folder; a dangling or looping link does not. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every `.yaml`/`.yml` file named or below a named folder, sorted. */
export function yamlFilesUnder(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new ManifestError(path, 'no such file or folder');
    }
    if (!stats.isDirectory()) return [path];
    // From a normalized root every parentPath is normalized too: a concatenation is a join, 5x cheaper.
    const root = normalize(path);
    const inFolder = (entry: Dirent): string =>
      entry.parentPath.endsWith(sep) ? entry.parentPath + entry.name : entry.parentPath + sep + entry.name;
    let entries: Dirent[];
    try {
      entries = readdirSync(root, { recursive: true, withFileTypes: true });
    } catch (error) {
      const { code, path: where } = error as NodeJS.ErrnoException;
      throw new ManifestError(
        path,
        `cannot be listed (${code} at ${where ?? path}): name the folders to check`,
      );
    }
    return (
      entries
        .filter((entry) => isYaml(entry.name))
        // A link is followed, as reading it does; nothing else is stat'ed (10,000 files, 10,000 calls fewer).
        // A link that leads nowhere is kept: reading it reports it, beside every other file's findings.
        .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && !isFolder(inFolder(entry))))
        .map(inFolder)
        .sort()
    );
  });
}

/** A manifest file that is not text: NUL bytes or bytes that are not UTF-8. */
function textOf(file: string, bytes: Buffer): string {
  if (bytes.includes(0))
    throw new ManifestError(file, 'not a text file (it holds NUL bytes): name YAML manifests only');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ManifestError(file, 'not a text file (it is not UTF-8): name YAML manifests only');
  }
}

const isKubeObject = (value: unknown): value is KubeObject =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as Partial<KubeObject>).apiVersion === 'string' &&
  typeof (value as Partial<KubeObject>).kind === 'string';

const NOT_AN_OBJECT = 'document is not a Kubernetes object (apiVersion and kind are required)';
const LIST_MERGE =
  '[YAML001] a List merges a mapping with << outside its items, so readers disagree on which items it ' +
  'holds: write the items out in full';

/** A `List` (or any `*List`) whose items kubectl expands. */
const isList = (object: KubeObject): object is KubeObject & { items: unknown[] } =>
  object.kind.endsWith('List') && Array.isArray(object.items);

/** What one file holds: its objects, and every problem that kept a document from being read. */
export interface ManifestFile {
  readonly objects: SourcedObject[];
  readonly errors: ManifestError[];
}

/**
 * Every object of a YAML text, read as the API server reads it (lib/policy/kubernetes-yaml.ts); a
 * `List` (or any `*List` with `items`) gives its items, each sourced `file:line items[i]`, and a List
 * among them its own (`items[i].items[j]`). A document that cannot be read is an error of its own: the
 * other documents are still returned.
 */
export function readManifestText(file: string, text: string): ManifestFile {
  const { documents, errors } = loadYamlDocuments(text);
  const objects: SourcedObject[] = [];
  const problems = errors.map((error) => new ManifestError(file, error.message.split('\n')[0], error.line));
  for (const document of documents) {
    const positionOf = positionFinder(document.text);
    const locate = (path: readonly (string | number)[]) => {
      const { line, column } = positionOf(path);
      return { line: line + document.firstLine, column };
    };
    // The merge keys an object's finding reports: those inside it. One outside every object is left over.
    const claimed = new Set<readonly (string | number)[]>();
    const sourced = (object: KubeObject, line: number, prefix: readonly (string | number)[], label = '') => {
      const inside = document.mergeKeys.filter((path) => prefix.every((part, index) => path[index] === part));
      inside.forEach((path) => claimed.add(path));
      return {
        object,
        source: `${file}:${line}${label}`,
        file,
        line,
        mergeKeys: inside.map((path) => path.slice(prefix.length)),
        locate: (path: readonly (string | number)[]) => locate([...prefix, ...path]),
      };
    };
    if (!isKubeObject(document.value)) {
      problems.push(new ManifestError(file, NOT_AN_OBJECT, document.line));
      continue;
    }
    // kubectl expands a List's items, and a List among them, each item an object of its own.
    const expand = (
      object: KubeObject,
      line: number,
      prefix: readonly (string | number)[],
      label: string,
    ) => {
      if (!isList(object)) {
        objects.push(sourced(object, line, prefix, label));
        return;
      }
      object.items.forEach((item: unknown, index: number) => {
        const at = [...prefix, 'items', index];
        const itemLabel = `${label ? `${label}.` : ' '}items[${index}]`;
        const itemLine = locate(at).line;
        if (isKubeObject(item)) expand(item, itemLine, at, itemLabel);
        else problems.push(new ManifestError(file, NOT_AN_OBJECT, itemLine, itemLabel));
      });
    };
    expand(document.value, document.line, [], '');
    // A merge in a List itself decides which items there are: no item can carry its finding.
    if (document.mergeKeys.some((path) => !claimed.has(path))) {
      problems.push(new ManifestError(file, LIST_MERGE, document.line));
    }
  }
  return { objects, errors: problems };
}

/** Parses every document of a YAML file; the source of each object is `file:line`. Throws the first error. */
export function parseManifests(file: string, text: string): SourcedObject[] {
  const { objects, errors } = readManifestText(file, text);
  if (errors.length > 0) throw errors[0];
  return objects;
}

/** Reads one file; an unreadable or binary file is its one error. */
export function readManifestFile(file: string): ManifestFile {
  try {
    let text: string;
    try {
      // Read as UTF-8 in one call (the common case, and the cheaper one); only a text holding a NUL or
      // a replacement character is read again as bytes, to tell a binary file from a real U+FFFD.
      text = readFileSync(file, 'utf8');
      if (text.includes('\0') || text.includes('\uFFFD')) text = textOf(file, readFileSync(file));
      else if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // as TextDecoder drops a BOM
    } catch (error) {
      if (error instanceof ManifestError) throw error;
      throw new ManifestError(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
    return readManifestText(file, text);
  } catch (error) {
    if (error instanceof ManifestError) return { objects: [], errors: [error] };
    throw error;
  }
}

interface Kustomization {
  readonly namespace?: unknown;
  readonly resources?: unknown;
  readonly patches?: { path?: unknown }[];
  readonly patchesStrategicMerge?: unknown[];
}

/** The kustomizations among `files`, by resolved path. One that cannot be read is reported with the other files. */
function kustomizationsOf(files: readonly string[]): Map<string, Kustomization> {
  return new Map(
    files
      .filter((file) => basename(file) === 'kustomization.yaml')
      .map((file) => [resolve(file), (readManifestFile(file).objects[0]?.object ?? {}) as Kustomization]),
  );
}

/** Files a kustomization names as patches: fragments of objects, not objects. */
function patchFilesOf(kustomizations: ReadonlyMap<string, Kustomization>): Set<string> {
  return new Set(
    [...kustomizations].flatMap(([file, kustomization]) => {
      const paths = [
        ...(Array.isArray(kustomization.patches) ? kustomization.patches : []).flatMap((patch) =>
          typeof patch?.path === 'string' ? [patch.path] : [],
        ),
        ...(Array.isArray(kustomization.patchesStrategicMerge) ? kustomization.patchesStrategicMerge : []),
      ];
      return paths.map((path) => resolve(dirname(file), String(path)));
    }),
  );
}

/**
 * The files whose objects kustomize gives a namespace: every way to them from a kustomization no other
 * one includes (an overlay) passes through one that sets `namespace:`. Each maps to the kustomization
 * that sets it (the first found). A base folder without namespaces is fine only when so included.
 */
function namespacedFilesOf(kustomizations: ReadonlyMap<string, Kustomization>): Map<string, string> {
  const resourcesOf = (file: string): string[] => {
    const resources = kustomizations.get(file)?.resources;
    return (Array.isArray(resources) ? resources : [])
      .filter((entry): entry is string => typeof entry === 'string')
      .map((entry) => resolve(dirname(file), entry))
      .map((path) => (isYaml(path) ? path : join(path, 'kustomization.yaml')));
  };
  const included = new Set([...kustomizations.keys()].flatMap(resourcesOf));
  const reached = new Map<string, string | undefined>(); // file → namespacing kustomization, if on every way
  const mark = (file: string, by: string | undefined): void => {
    if (!reached.has(file) || by === undefined) reached.set(file, by);
  };
  const visit = (file: string, namespacedBy: string | undefined, depth: number): void => {
    if (depth > 20) return; // a kustomization including itself: kustomize reports it
    const own = kustomizations.get(file);
    const by = namespacedBy ?? (typeof own?.namespace === 'string' && own.namespace ? file : undefined);
    for (const entry of resourcesOf(file)) {
      if (kustomizations.has(entry)) visit(entry, by, depth + 1);
      else mark(entry, by);
    }
  };
  for (const root of kustomizations.keys()) if (!included.has(root)) visit(root, undefined, 0);
  return new Map([...reached].filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export interface LoadManifestsOptions {
  /**
   * Treat input with no Kubernetes object at all as an error (a wrong path, not a clean one): a
   * `ManifestError` saying whether no YAML file was found or the files hold no object.
   * @default false
   */
  readonly requireObjects?: boolean;
}

/** Everything read from the named files and folders: the objects and every file's errors. */
export interface ManifestSet {
  readonly objects: SourcedObject[];
  readonly errors: ManifestError[];
  /** The YAML files read (kustomize patch files left out). */
  readonly files: readonly string[];
}

/** The manifest files of a run, and what the kustomizations among them say about them. */
export interface ManifestFiles {
  /** Every YAML file named or below a named folder, kustomize patch files left out. */
  readonly files: string[];
  /** Paths named that are not there. */
  readonly errors: ManifestError[];
  /** Resolved path of each file whose objects a kustomization gives a namespace → that kustomization. */
  readonly namespacedBy: Readonly<Record<string, string>>;
}

/** The manifest files of the named files and folders (kustomize patch files left out), and the paths that are not there. */
export function listManifestFiles(paths: readonly string[]): ManifestFiles {
  const errors: ManifestError[] = [];
  const files = paths.flatMap((path) => {
    try {
      return yamlFilesUnder([path]);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      errors.push(error);
      return [];
    }
  });
  const kustomizations = kustomizationsOf(files);
  const patches = patchFilesOf(kustomizations);
  return {
    files: patches.size === 0 ? files : files.filter((file) => !patches.has(resolve(file))),
    errors,
    namespacedBy: Object.fromEntries(namespacedFilesOf(kustomizations)),
  };
}

/** The error of input that holds no Kubernetes object at all: a wrong path rather than a clean one. */
export function noObjectError(paths: readonly string[], files: readonly string[]): ManifestError {
  return new ManifestError(
    paths.join(', '),
    files.length === 0
      ? 'no Kubernetes object: no .yaml or .yml file there. Name YAML files or folders that hold them'
      : `no Kubernetes object in its ${files.length} YAML file(s) (only empty documents or kustomize patches). ` +
          'Name the manifests themselves, e.g. the output of kustomize build',
  );
}

/**
 * Reads every object of the named files and folders, leaving out kustomize patch files. A path or a
 * file that cannot be read is an error of its own: everything else is still read.
 */
export function readManifests(paths: readonly string[], options: LoadManifestsOptions = {}): ManifestSet {
  const { files, errors, namespacedBy } = listManifestFiles(paths);
  const objects: SourcedObject[] = [];
  for (const file of files) {
    const result = readManifestFile(file);
    objects.push(...withKustomizeNamespace(result.objects, namespacedBy[resolve(file)]));
    errors.push(...result.errors);
  }
  if (options.requireObjects && objects.length === 0 && errors.length === 0)
    errors.push(noObjectError(paths, files));
  return { objects, errors, files };
}

/** Loads every object from the named files and folders, leaving out kustomize patch files; throws the first error. */
export function loadManifests(paths: readonly string[], options: LoadManifestsOptions = {}): SourcedObject[] {
  const { objects, errors } = readManifests(paths, options);
  if (errors.length > 0) throw errors[0];
  return objects;
}

/** The objects of one file, marked with the kustomization that gives them their namespace, if one does. */
export function withKustomizeNamespace(
  objects: readonly SourcedObject[],
  namespacedBy: string | undefined,
): SourcedObject[] {
  return namespacedBy === undefined ? [...objects] : objects.map((object) => ({ ...object, namespacedBy }));
}
