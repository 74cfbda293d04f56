/**
 * Writes kubeconform's strict JSON schemas for the kinds of a manifest tree, from the same offline
 * sources `npm run policy` validates with: the OpenAPI v3 files of the pinned Kubernetes release and the
 * pinned ArgoCD CRDs (lib/policy/api-schema-source.ts finds them). Used by bench/policy.sh only, so that
 * both tools judge the same files against the same schemas.
 *
 *   tsx bench/kubeconform-schemas.ts <out dir> <manifest file>...
 *
 * Layout: `<out>/<group or version>/<kind>_<version>.json`, kubeconform's
 * `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json` template.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Schema, standaloneStrictSchema, strictJsonSchema } from '../lib/manifest/kubeconform-schema';
import { apiSchemaSource } from '../lib/policy/api-schema-source';

function write(out: string, group: string, version: string, kind: string, schema: unknown): void {
  const file = join(out, group || version, `${kind.toLowerCase()}_${version}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(schema));
}

function main(): void {
  const [out, ...files] = process.argv.slice(2);
  if (!out || files.length === 0) {
    console.error('usage: tsx bench/kubeconform-schemas.ts <out dir> <manifest file>...');
    process.exit(2);
  }
  const wanted = new Set<string>();
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const object = doc.toJS() as { apiVersion?: string; kind?: string } | null;
      if (object?.apiVersion && object.kind) wanted.add(`${object.apiVersion} ${object.kind}`);
    }
  }
  const source = apiSchemaSource({ repoRoot: join(__dirname, '..') });
  if (!source.openApiDir) throw new Error(`no OpenAPI files: ${source.missing.join('; ')}`);
  let written = 0;
  for (const file of readdirSync(source.openApiDir).filter((name) => name.endsWith('.json'))) {
    const document = JSON.parse(readFileSync(join(source.openApiDir, file), 'utf8')) as {
      components?: { schemas?: Record<string, Schema> };
    };
    const components = document.components?.schemas ?? {};
    for (const [name, schema] of Object.entries(components)) {
      const gvks = (schema['x-kubernetes-group-version-kind'] ?? []) as Record<string, string>[];
      for (const { group, version, kind } of gvks) {
        const apiVersion = group ? `${group}/${version}` : version;
        if (!wanted.has(`${apiVersion} ${kind}`)) continue;
        write(out, group, version, kind, standaloneStrictSchema(components, name));
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
            versions: { name: string; schema?: { openAPIV3Schema?: unknown } }[];
          };
        };
        if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
        for (const version of crd.spec.versions) {
          if (!wanted.has(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`)) continue;
          const schema = strictJsonSchema(version.schema?.openAPIV3Schema ?? {}) as Schema;
          write(out, crd.spec.group, version.name, crd.spec.names.kind, {
            $schema: 'http://json-schema.org/draft-04/schema#',
            ...schema,
          });
          written++;
        }
      }
    }
  }
  console.error(`bench: wrote ${written} kubeconform schemas for ${wanted.size} kinds under ${out}`);
}

main();
