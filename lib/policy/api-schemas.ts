import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { loadYamlDocuments } from './kubernetes-yaml';
import { ApiSchemaSource } from './api-schema-source';
import { ContentCache, cachedByContent, cachedByFile } from './content-cache';
import { ResolveRef, SchemaNode, schemaProblems } from './schema-check';
import { groupOf } from '../manifest/api-group';
import { KubeObject } from '../manifest/kube-object';
import { ApiSchemaCatalog, SchemaProblem } from './types';

/** One served kind: its schema and the components its `$ref`s name. */
interface KindSchema {
  readonly schema: SchemaNode;
  readonly components: Readonly<Record<string, SchemaNode>>;
  /** A CRD version's deprecation warning, when it declares one. */
  readonly deprecated?: string;
}

/** What `k8s.io/api` says of a prerelease version of a kind (the data of the server's warnings). */
interface Lifecycle {
  readonly deprecated?: string;
  readonly removed?: string;
  readonly replacement?: string;
}

const REF = '#/components/schemas/';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
type Gvk = { group: string; version: string; kind: string };

/** Names the cache entries of `servedVersionsIn`: change it with that function. */
const CRD_CACHE_KIND = 'crd-served-v2';
/** Names the cache entries of `componentsIn`: change it with that function. */
const OPENAPI_CACHE_KIND = 'openapi-components-v1';
/** Names the cache entries of `readLifecycles`: change it with that function. */
const LIFECYCLE_CACHE_KIND = 'lifecycles-v1';

export interface ApiSchemasOptions {
  /**
   * A folder where decoded CRD files, the schemas of OpenAPI files and the API lifecycles are kept
   * between runs (by path, size and time, see `cachedByFile`): decoding ArgoCD's CRD YAML takes about
   * 0.2 s, parsing the OpenAPI files a run needs about 60 ms (most of their bytes are paths and
   * descriptions, which no rule reads), reading k8s.io/api's lifecycles about 15 ms, reading the kept
   * JSON a few ms.
   * @default - no cache: each instance decodes the CRDs it needs
   */
  readonly cacheDir?: string;
}

const apiVersionOf = (group: string, version: string): string => (group ? `${group}/${version}` : version);

/** `1.16` < `1.34`. */
const notAfter = (release: string, current: string): boolean => {
  const [a, b] = release.split('.').map(Number);
  const [c, d] = current.split('.').map(Number);
  return a < c || (a === c && b <= d);
};

/**
 * The API of one Kubernetes release (its OpenAPI v3 files) plus CRDs, read lazily: a group version's
 * file is parsed the first time an object of it is checked, the CRDs the first time a group Kubernetes
 * does not serve is seen, the lifecycle files the first time a prerelease or unserved version is.
 */
export class ApiSchemas implements ApiSchemaCatalog {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, Map<string, KindSchema>>();
  private crdApi?: { readonly kinds: Map<string, KindSchema>; readonly groupKinds: Set<string> };
  private readonly crdCache?: ContentCache;
  private readonly openApiCache?: ContentCache;
  private readonly lifecycleCache?: ContentCache;
  private lifecycles?: Map<string, Lifecycle>;
  private readonly cache = new WeakMap<KubeObject, readonly SchemaProblem[]>();
  private readonly resolvers = new WeakMap<object, ResolveRef>();

  constructor(
    private readonly source: ApiSchemaSource,
    options: ApiSchemasOptions = {},
  ) {
    if (options.cacheDir) {
      this.crdCache = { dir: options.cacheDir, kind: CRD_CACHE_KIND };
      this.openApiCache = { dir: options.cacheDir, kind: OPENAPI_CACHE_KIND };
      this.lifecycleCache = { dir: options.cacheDir, kind: LIFECYCLE_CACHE_KIND };
    }
    if (!source.openApiDir) return;
    for (const file of readdirSync(source.openApiDir)) {
      const match = /^(?:api__(v\d\w*)|apis__(.+)__(v\d\w*))_openapi\.json$/.exec(file);
      if (match) this.files.set(match[1] ?? `${match[2]}/${match[3]}`, join(source.openApiDir, file));
    }
  }

  /** Whether there is an API to check against at all. */
  get available(): boolean {
    return this.files.size > 0;
  }

  problemsOf(object: KubeObject): readonly SchemaProblem[] {
    let problems = this.cache.get(object);
    if (!problems) this.cache.set(object, (problems = this.check(object)));
    return problems;
  }

  private check(object: KubeObject): SchemaProblem[] {
    if (!this.available) return [];
    const { apiVersion, kind } = object;
    const group = groupOf(apiVersion);
    const found = this.kindOf(apiVersion, kind);
    const lifecycle = this.lifecycleOf(apiVersion, kind);
    if (!found) {
      if (!this.isKnownKind(group, kind) && lifecycle === undefined) return []; // no schema to judge it by
      return [
        { kind: 'removed', message: this.unservedMessage(apiVersion, kind, lifecycle), path: ['apiVersion'] },
      ];
    }
    const deprecation = found.deprecated ?? this.deprecationOf(lifecycle, apiVersion, kind);
    const resolve = this.resolverOf(found.components);
    return [
      ...(deprecation ? [{ kind: 'deprecated' as const, message: deprecation, path: ['apiVersion'] }] : []),
      ...schemaProblems(object, found.schema, resolve),
    ];
  }

  /** Finds `$ref`s in `components`, each name cut out of its ref once, not once per object checked. */
  private resolverOf(components: Readonly<Record<string, SchemaNode>>): ResolveRef {
    let resolver = this.resolvers.get(components);
    if (!resolver) {
      const found = new Map<string, SchemaNode | undefined>();
      resolver = (ref) => {
        if (!found.has(ref)) found.set(ref, components[ref.slice(REF.length)]);
        return found.get(ref);
      };
      this.resolvers.set(components, resolver);
    }
    return resolver;
  }

  private unservedMessage(apiVersion: string, kind: string, lifecycle: Lifecycle | undefined): string {
    const release = this.source.kubernetesVersion ? `Kubernetes ${this.source.kubernetesVersion}` : 'the API';
    const served = this.servedVersionsOf(groupOf(apiVersion), kind);
    const instead = lifecycle?.replacement ?? served[0];
    return (
      `${kind} ${apiVersion} is not served by ${release}` +
      (lifecycle?.removed ? ` (removed in ${lifecycle.removed})` : '') +
      (instead ? `: use ${instead}` : ': no such kind in this group version')
    );
  }

  private deprecationOf(
    lifecycle: Lifecycle | undefined,
    apiVersion: string,
    kind: string,
  ): string | undefined {
    const current = this.source.kubernetesVersion;
    if (!lifecycle?.deprecated || !current || !notAfter(lifecycle.deprecated, current)) return undefined;
    return (
      `${kind} ${apiVersion} is deprecated since Kubernetes ${lifecycle.deprecated}` +
      (lifecycle.removed ? ` and goes in ${lifecycle.removed}` : '') +
      (lifecycle.replacement ? `: use ${lifecycle.replacement}` : '')
    );
  }

  /**
   * Whether an unserved `kind` of `group` is an error: every kind of a Kubernetes group is, but a group
   * of CRDs is only known for the kinds they define. Argo Rollouts share ArgoCD's group, and their CRD
   * is not here: a Rollout is not judged, while an Application of a version ArgoCD does not serve is.
   */
  private isKnownKind(group: string, kind: string): boolean {
    if (group === '' || !group.includes('.') || group.endsWith('.k8s.io')) return true;
    return (
      this.crds().groupKinds.has(`${group} ${kind}`) ||
      [...this.files.keys()].some((gv) => groupOf(gv) === group)
    );
  }

  /** Served apiVersions of `kind` in `group` (every group version of the release, and the CRDs). */
  private servedVersionsOf(group: string, kind: string): string[] {
    const builtIn = [...this.files.keys()].filter(
      (gv) => groupOf(gv) === group && this.kindsOf(gv)?.has(kind),
    );
    const crd = [...this.crds().kinds.keys()]
      .map((key) => key.split(' '))
      .filter(([apiVersion, served]) => served === kind && groupOf(apiVersion) === group)
      .map(([apiVersion]) => apiVersion);
    return [...builtIn, ...crd];
  }

  private kindOf(apiVersion: string, kind: string): KindSchema | undefined {
    if (this.files.has(apiVersion)) return this.kindsOf(apiVersion)?.get(kind);
    return this.crds().kinds.get(`${apiVersion} ${kind}`);
  }

  private kindsOf(apiVersion: string): ReadonlyMap<string, KindSchema> | undefined {
    const file = this.files.get(apiVersion);
    if (!file) return undefined;
    let kinds = this.loaded.get(apiVersion);
    if (!kinds) {
      const components = cachedByFile(this.openApiCache, file, componentsIn);
      kinds = new Map();
      for (const schema of Object.values(components)) {
        for (const gvk of (schema['x-kubernetes-group-version-kind'] ?? []) as Gvk[]) {
          if (apiVersionOf(gvk.group, gvk.version) === apiVersion)
            kinds.set(gvk.kind, { schema, components });
        }
      }
      this.loaded.set(apiVersion, kinds);
    }
    return kinds;
  }

  /**
   * Every served version of every CRD, `apiVersion kind` → schema (a later file wins, as a later `kubectl
   * apply` would), and the `group kind`s they define. The CRD files are decoded once per content: later runs
   * read the decoded versions from the cache, when there is one.
   */
  private crds(): { readonly kinds: Map<string, KindSchema>; readonly groupKinds: Set<string> } {
    if (!this.crdApi) {
      const core = this.kindsOf('v1')?.get('ConfigMap')?.components ?? {};
      // A CRD's own schema stops at `metadata`: the server checks it as ObjectMeta, and so does this.
      const withMetadata = (declared: SchemaNode): SchemaNode =>
        core[OBJECT_META]
          ? {
              ...declared,
              properties: { ...(declared.properties ?? {}), metadata: { $ref: `${REF}${OBJECT_META}` } },
            }
          : declared;
      const kinds = new Map<string, KindSchema>();
      for (const dir of this.source.crdDirs) {
        for (const name of readdirSync(dir)
          .filter((entry) => /\.ya?ml$/.test(entry))
          .sort()) {
          for (const [key, { schema, deprecated }] of cachedByFile(
            this.crdCache,
            join(dir, name),
            servedVersionsIn,
          )) {
            kinds.set(key, { schema: withMetadata(schema), components: core, deprecated });
          }
        }
      }
      const groupKinds = [...kinds.keys()].map((key) => {
        const [apiVersion, kind] = key.split(' ');
        return `${groupOf(apiVersion)} ${kind}`;
      });
      this.crdApi = { kinds, groupKinds: new Set(groupKinds) };
    }
    return this.crdApi;
  }

  /**
   * The lifecycle of a prerelease (or unserved) version, from k8s.io/api's generated
   * `APILifecycleDeprecated/Removed/Replacement` functions: the data behind the API server's
   * deprecation warnings.
   */
  private lifecycleOf(apiVersion: string, kind: string): Lifecycle | undefined {
    if (!/(alpha|beta)\d*$/.test(apiVersion) && this.files.has(apiVersion)) return undefined;
    if (!this.lifecycles) {
      const dir = this.source.lifecycleDir;
      // The module's folder is named by its version and read-only: its path and time name its content.
      const identity = dir && `${resolvePath(dir)}\n${statSync(dir).mtimeMs}`;
      this.lifecycles = new Map(
        identity === undefined
          ? []
          : cachedByContent(this.lifecycleCache, identity, () => [...readLifecycles(dir)]),
      );
    }
    return this.lifecycles.get(`${apiVersion} ${kind}`);
  }
}

/** Entries of `node` mapped by `map` (none, one or several each), as an object of its own keys. */
const mapped = (node: object, map: (key: string, value: unknown) => [string, unknown][]): SchemaNode =>
  // Entries, not assignments: a key like `__proto__` stays a key.
  Object.fromEntries(Object.entries(node).flatMap(([key, value]) => map(key, value)));

/**
 * A schema without its descriptions, which no rule reads and which are most of its bytes: what is
 * kept between runs is read faster.
 */
function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (typeof node !== 'object' || node === null) return node;
  return mapped(node, (key, value) => {
    if (key === 'description') return [];
    // `properties` names fields: a field called `description` is kept.
    if (key === 'properties' && typeof value === 'object' && value !== null)
      return [[key, mapped(value, (field, schema) => [[field, withoutDescriptions(schema)]])]];
    return [[key, withoutDescriptions(value)]];
  });
}

/**
 * The component schemas of an OpenAPI document's text, without their descriptions: what checking
 * objects reads of it, about a tenth of its bytes (the rest is paths and prose).
 */
function componentsIn(text: string): Record<string, SchemaNode> {
  const document = JSON.parse(text) as { components?: { schemas?: Record<string, SchemaNode> } };
  return mapped(document.components?.schemas ?? {}, (name, schema) => [
    [name, withoutDescriptions(schema)],
  ]) as Record<string, SchemaNode>;
}

/** A served version of a CRD: its declared schema (without `metadata`) and its deprecation warning. */
interface ServedVersion {
  readonly schema: SchemaNode;
  readonly deprecated?: string;
}

/**
 * `apiVersion kind` and schema (without descriptions) of every served version of the CRDs in a YAML
 * text: plain JSON, to keep.
 */
function servedVersionsIn(text: string): [string, ServedVersion][] {
  const served: [string, ServedVersion][] = [];
  for (const { value } of loadYamlDocuments(text).documents) {
    const crd = value as {
      kind?: string;
      spec?: {
        group: string;
        names: { kind: string };
        versions?: {
          name: string;
          served?: boolean;
          deprecated?: boolean;
          deprecationWarning?: string;
          schema?: { openAPIV3Schema?: SchemaNode };
        }[];
      };
    } | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    const { group, names } = crd.spec;
    for (const version of crd.spec.versions ?? []) {
      if (version.served === false) continue;
      const apiVersion = `${group}/${version.name}`;
      served.push([
        `${apiVersion} ${names.kind}`,
        {
          schema: (withoutDescriptions(version.schema?.openAPIV3Schema) as SchemaNode | undefined) ?? {
            'x-kubernetes-preserve-unknown-fields': true,
          },
          ...(version.deprecated && {
            deprecated: version.deprecationWarning ?? `${names.kind} ${apiVersion} is deprecated by its CRD`,
          }),
        },
      ]);
    }
  }
  return served;
}

function readLifecycles(dir: string | undefined): Map<string, Lifecycle> {
  const result = new Map<string, Lifecycle>();
  if (!dir) return result;
  for (const groupDir of readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const versionDir of readdirSync(join(dir, groupDir.name), { withFileTypes: true })) {
      const base = join(dir, groupDir.name, versionDir.name);
      const file = join(base, 'zz_generated.prerelease-lifecycle.go');
      const register = join(base, 'register.go');
      if (!versionDir.isDirectory() || !existsSync(file) || !existsSync(register)) continue;
      const group = /const GroupName = "([^"]*)"/.exec(readFileSync(register, 'utf8'))?.[1] ?? '';
      const apiVersion = apiVersionOf(group, versionDir.name);
      const text = readFileSync(file, 'utf8');
      const found = new Map<string, { deprecated?: string; removed?: string; replacement?: string }>();
      const entry = (kind: string): { deprecated?: string; removed?: string; replacement?: string } => {
        const known = found.get(kind) ?? {};
        found.set(kind, known);
        return known;
      };
      for (const [, kind, what, major, minor] of text.matchAll(
        /func \(in \*(\w+)\) APILifecycle(Deprecated|Removed)\(\) \(major, minor int\) \{\s*return (\d+), (\d+)/g,
      )) {
        entry(kind)[what === 'Deprecated' ? 'deprecated' : 'removed'] = `${major}.${minor}`;
      }
      for (const [, kind, g, v, k] of text.matchAll(
        /func \(in \*(\w+)\) APILifecycleReplacement\(\) schema\.GroupVersionKind \{\s*return schema\.GroupVersionKind\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\}/g,
      )) {
        entry(kind).replacement = `${apiVersionOf(g, v)} ${k}`;
      }
      for (const [kind, lifecycle] of found) result.set(`${apiVersion} ${kind}`, lifecycle);
    }
  }
  return result;
}
