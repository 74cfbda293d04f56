import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ClusterClient } from './cluster-client';
import { eventually } from './cluster-fixture';

type Schema = Record<string, unknown>;
interface OpenApiDocument {
  readonly components?: { readonly schemas?: Record<string, Schema> };
}
interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * kubeconform's `-schema-location` template for the folder `writeKubeconformSchemas` fills:
 * `<group>/<kind>_<version>.json` (kubeconform's `.Group` is the version for the core group).
 */
export function schemaLocation(dir: string): string {
  return `${dir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;
}

const REF_PREFIX = '#/components/schemas/';

/**
 * An OpenAPI v3 schema as JSON Schema draft 4 in kubeconform's strict flavour: `$ref`s point into the
 * file's own `definitions`, objects that list their properties refuse any other
 * (`additionalProperties: false`) unless the API marks them `x-kubernetes-preserve-unknown-fields`, and
 * `nullable` allows `null`. Collects the names of the components it refers to in `refs`.
 */
function toStrictJsonSchema(node: unknown, refs: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => toStrictJsonSchema(item, refs));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      const name = value.slice(REF_PREFIX.length);
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
    } else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([name, schema]) => [name, toStrictJsonSchema(schema, refs)]),
      );
    } else if (key !== 'nullable') {
      out[key] = toStrictJsonSchema(value, refs);
    }
  }
  if (
    source.properties &&
    source.additionalProperties === undefined &&
    !source['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  if (source.nullable === true) {
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

/** A self-contained schema for the component `name` of `document`, with every component it reaches. */
function standaloneSchema(document: OpenApiDocument, name: string): Schema {
  const components = document.components?.schemas ?? {};
  const definitions: Record<string, unknown> = {};
  const pending = [name];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (next in definitions) continue;
    const refs = new Set<string>();
    if (!components[next]) throw new Error(`OpenAPI component ${next} is referenced but not published`);
    definitions[next] = toStrictJsonSchema(components[next], refs);
    pending.push(...[...refs].filter((ref) => !(ref in definitions)));
  }
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    ...(definitions[name] as Schema),
    definitions,
  };
}

/**
 * Writes, under `dir`, a kubeconform schema for each `apiVersion`/`kind` pair, generated from the
 * OpenAPI v3 documents the running API server publishes (built-in kinds and installed CRDs alike): no
 * download, and exactly the schemas the server validates with. Returns the files written.
 */
export async function writeKubeconformSchemas(
  client: ClusterClient,
  dir: string,
  kinds: readonly { apiVersion: string; kind: string }[],
): Promise<string[]> {
  const byVersion = new Map<string, Set<string>>();
  for (const { apiVersion, kind } of kinds) {
    byVersion.set(apiVersion, (byVersion.get(apiVersion) ?? new Set()).add(kind));
  }
  const written: string[] = [];
  for (const [apiVersion, wanted] of byVersion) {
    const path = apiVersion.includes('/')
      ? `/openapi/v3/apis/${apiVersion}`
      : `/openapi/v3/api/${apiVersion}`;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    // A CRD's schema reaches the OpenAPI document a moment after the CRD is established.
    const document = await eventually(
      `OpenAPI v3 document of ${apiVersion} with ${[...wanted].join(', ')}`,
      60,
      async () => {
        const { body } = await client.request<OpenApiDocument>({ method: 'GET', path });
        const kindsIn = new Set(
          Object.values(body.components?.schemas ?? {})
            .flatMap((s) => gvksOf(s))
            .map((g) => g.kind),
        );
        return [...wanted].every((kind) => kindsIn.has(kind)) ? body : undefined;
      },
    );
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      const gvk = gvksOf(schema).find(
        (g) => g.group === group && g.version === version && wanted.has(g.kind),
      );
      if (!gvk) continue;
      const file = join(dir, group || version, `${gvk.kind.toLowerCase()}_${version}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(standaloneSchema(document, name)));
      written.push(file);
    }
  }
  return written;
}

function gvksOf(schema: Schema): GroupVersionKind[] {
  return (schema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined) ?? [];
}
