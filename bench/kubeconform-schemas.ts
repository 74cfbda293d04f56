/**
 * Writes the JSON schemas kubeconform needs for the kinds of some manifest trees, in the two layouts its
 * users point `-schema-location` at, from the same offline sources `npm run policy` validates with (the
 * OpenAPI v3 files of the pinned Kubernetes release and the pinned ArgoCD CRDs, found by
 * lib/policy/api-schema-source.ts). Used by bench/policy.sh only.
 *
 *   tsx bench/kubeconform-schemas.ts <out dir> <manifest file or folder>...
 *
 * - `<out>/<version>-standalone-strict/<kind>-<group>-<version>.json` (`service-v1.json` for the core
 *   group): a mirror of yannh/kubernetes-json-schema, kubeconform's default registry, for the template
 *   `{{ .ResourceKind }}{{ .KindSuffix }}.json`. KindSuffix is `-<first label of the group>-<version>`,
 *   so `networking.k8s.io/v1` NetworkPolicy is `networkpolicy-networking-v1.json`.
 * - `<out>/crds/<group>/<kind>_<version>.json`: a mirror of datreeio/CRDs-catalog, for the template
 *   `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`.
 *
 * Prints the two `-schema-location` values, one a line. A kind neither source defines (a removed API
 * version, say) gets no file, as in the published folders: kubeconform reports that it has no schema.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdsCatalogSchema, kubernetesJsonSchema } from './json-schema-flavours';
import { apiSchemaSource, requiredModuleVersion } from '../lib/policy/api-schema-source';

type Node = Record<string, unknown>;

/** Every `.yaml` file named or under a named folder. */
function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .map((name) => join(path, name));
}

/** `apiVersion kind` of every top-level object of the files: read off the lines, no YAML parse needed. */
function kindsIn(files: readonly string[]): Set<string> {
  const kinds = new Set<string>();
  for (const file of files) {
    for (const document of readFileSync(file, 'utf8').split(/^---$/m)) {
      const apiVersion = /^apiVersion: *["']?([^\s"']+)/m.exec(document)?.[1];
      const kind = /^kind: *["']?([^\s"']+)/m.exec(document)?.[1];
      if (apiVersion && kind) kinds.add(`${apiVersion} ${kind}`);
    }
  }
  return kinds;
}

/** kubeconform's KindSuffix: `-<group's first label>-<version>`, or `-<version>` for the core group. */
function kindSuffix(apiVersion: string): string {
  const [group, version] = apiVersion.split('/');
  return version === undefined
    ? `-${group.toLowerCase()}`
    : `-${group.split('.')[0].toLowerCase()}-${version.toLowerCase()}`;
}

function write(file: string, schema: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  // Indented, as both registries publish them: kubeconform reads the same bytes its users' copies hold.
  writeFileSync(file, JSON.stringify(schema, null, 2));
}

function main(): void {
  const [out, ...paths] = process.argv.slice(2);
  if (!out || paths.length === 0) {
    console.error('usage: tsx bench/kubeconform-schemas.ts <out dir> <manifest file or folder>...');
    process.exit(2);
  }
  const root = join(__dirname, '..');
  const wanted = kindsIn(paths.flatMap(yamlFiles));
  const source = apiSchemaSource({ repoRoot: root });
  if (!source.openApiDir) throw new Error(`no OpenAPI files: ${source.missing.join('; ')}`);
  const release = requiredModuleVersion(join(root, 'tools/cluster/go.mod'), 'k8s.io/kubernetes') ?? 'master';
  const kubernetesDir = join(out, `${release}-standalone-strict`);
  const crdDir = join(out, 'crds');
  let written = 0;
  for (const file of readdirSync(source.openApiDir).filter((name) => name.endsWith('.json'))) {
    const document = JSON.parse(readFileSync(join(source.openApiDir, file), 'utf8')) as {
      components?: { schemas?: Record<string, Node> };
    };
    const components = document.components?.schemas ?? {};
    for (const [name, schema] of Object.entries(components)) {
      for (const { group, version, kind } of (schema['x-kubernetes-group-version-kind'] ?? []) as Node[]) {
        const apiVersion = group ? `${group}/${version}` : String(version);
        if (!wanted.has(`${apiVersion} ${kind}`)) continue;
        const target = join(kubernetesDir, `${String(kind).toLowerCase()}${kindSuffix(apiVersion)}.json`);
        write(target, kubernetesJsonSchema(components, name, apiVersion, String(kind)));
        written++;
      }
    }
  }
  for (const dir of source.crdDirs) {
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = doc.toJS() as {
          kind?: string;
          spec?: {
            group: string;
            names: { kind: string };
            versions: { name: string; schema?: { openAPIV3Schema?: Node } }[];
          };
        };
        if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
        const { group, names } = crd.spec;
        for (const version of crd.spec.versions) {
          if (!wanted.has(`${group}/${version.name} ${names.kind}`)) continue;
          const target = join(crdDir, group, `${names.kind.toLowerCase()}_${version.name}.json`);
          write(target, crdsCatalogSchema(version.schema?.openAPIV3Schema ?? {}));
          written++;
        }
      }
    }
  }
  console.error(`bench: wrote ${written} kubeconform schemas for ${wanted.size} kinds under ${out}`);
  console.log(join(kubernetesDir, '{{ .ResourceKind }}{{ .KindSuffix }}.json'));
  console.log(join(crdDir, '{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'));
}

main();
