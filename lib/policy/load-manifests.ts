import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { SourcedObject } from './evaluate';
import { KubeObject } from './types';

/** A file that cannot be read or is not a list of Kubernetes objects; `location` is `file` or `file:line`. */
export class ManifestError extends Error {
  constructor(
    public readonly location: string,
    reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'ManifestError';
  }
}

const isYaml = (path: string): boolean => path.endsWith('.yaml') || path.endsWith('.yml');

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
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter(isYaml)
      .sort()
      .map((entry) => join(path, entry))
      .filter((file) => statSync(file).isFile());
  });
}

/** Parses every document of a YAML file; the source of each object is `file:line`. */
export function parseManifests(file: string, text: string): SourcedObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(documents)) return [];
  return documents.flatMap((document) => {
    const line = (offset: number): string => `${file}:${lineCounter.linePos(offset).line}`;
    const [error] = document.errors;
    if (error) throw new ManifestError(line(error.pos[0]), error.message.split('\n')[0]);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    const source = line(document.contents?.range[0] ?? 0);
    const object = value as Partial<KubeObject>;
    if (
      typeof value !== 'object' ||
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string'
    ) {
      throw new ManifestError(
        source,
        'document is not a Kubernetes object (apiVersion and kind are required)',
      );
    }
    return [{ object: value as KubeObject, source }];
  });
}

/** Files a kustomization names as patches: fragments of objects, not objects. */
function patchFilesOf(files: readonly string[]): Set<string> {
  const kustomizations = files.filter((file) => basename(file) === 'kustomization.yaml');
  return new Set(
    kustomizations.flatMap((file) => {
      const kustomization = (parse(readFileSync(file, 'utf8')) ?? {}) as {
        patches?: { path?: string }[];
        patchesStrategicMerge?: string[];
      };
      const paths = [
        ...(kustomization.patches ?? []).flatMap((patch) => (patch.path ? [patch.path] : [])),
        ...(kustomization.patchesStrategicMerge ?? []),
      ];
      return paths.map((path) => resolve(dirname(file), path));
    }),
  );
}

export interface LoadManifestsOptions {
  /**
   * Treat input with no Kubernetes object at all as an error (a wrong path, not a clean one): a
   * `ManifestError` saying whether no YAML file was found or the files hold no object.
   * @default false
   */
  readonly requireObjects?: boolean;
}

/** Loads every object from the named files and folders, leaving out kustomize patch files. */
export function loadManifests(paths: readonly string[], options: LoadManifestsOptions = {}): SourcedObject[] {
  const files = yamlFilesUnder(paths);
  const patches = patchFilesOf(files);
  const objects = files
    .filter((file) => !patches.has(resolve(file)))
    .flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ManifestError(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
      }
      return parseManifests(file, text);
    });
  if (options.requireObjects && objects.length === 0) {
    const where = paths.join(', ');
    throw new ManifestError(
      where,
      files.length === 0
        ? 'no Kubernetes object: no .yaml or .yml file there. Name YAML files or folders that hold them'
        : `no Kubernetes object in its ${files.length} YAML file(s) (only empty documents or kustomize patches). ` +
            'Name the manifests themselves, e.g. the output of kustomize build',
    );
  }
  return objects;
}
