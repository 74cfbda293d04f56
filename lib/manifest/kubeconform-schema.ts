/**
 * OpenAPI v3 schemas (as the API server publishes them, or as the Kubernetes release ships them) turned
 * into JSON Schema draft 4 in kubeconform's strict flavour, so that kubeconform judges a manifest with
 * the schema the API server itself validates with.
 */

/** A JSON object of a schema document. */
export type Schema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

/**
 * `node` in kubeconform's strict flavour: `$ref`s point into the file's own `definitions`, objects that
 * list their properties refuse any other (`additionalProperties: false`) unless the API marks them
 * `x-kubernetes-preserve-unknown-fields`, and `nullable` allows `null`. Descriptions are dropped (they
 * are most of the bytes). Adds the names of the components it refers to to `refs`.
 */
export function strictJsonSchema(node: unknown, refs: Set<string> = new Set()): unknown {
  if (Array.isArray(node)) return node.map((item) => strictJsonSchema(item, refs));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'description' || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      const name = value.slice(REF_PREFIX.length);
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
    } else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([name, schema]) => [name, strictJsonSchema(schema, refs)]),
      );
    } else {
      out[key] = strictJsonSchema(value, refs);
    }
  }
  const open = source.additionalProperties !== undefined || source['x-kubernetes-preserve-unknown-fields'];
  if (source.properties && !open) out.additionalProperties = false;
  return source.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/**
 * A self-contained strict schema for the component `name` of an OpenAPI document's `components`, with
 * every component it reaches as `definitions`. A reference to a component the document lacks throws.
 */
export function standaloneStrictSchema(components: Readonly<Record<string, Schema>>, name: string): Schema {
  const definitions: Record<string, unknown> = {};
  const pending = [name];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (next in definitions) continue;
    if (!components[next]) throw new Error(`OpenAPI component ${next} is referenced but not published`);
    const refs = new Set<string>();
    definitions[next] = strictJsonSchema(components[next], refs);
    pending.push(...refs);
  }
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    ...(definitions[name] as Schema),
    definitions,
  };
}
