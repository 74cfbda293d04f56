/**
 * The two flavours of JSON Schema kubeconform's users feed it, written here from the same offline
 * sources `npm run policy` reads, so that bench/policy.sh gives kubeconform the files its users have:
 *
 * - `kubernetesJsonSchema`: a kind of the Kubernetes API as yannh/kubernetes-json-schema publishes it in
 *   its `<version>-standalone-strict` folders (openapi2jsonschema `--expanded --kubernetes --stand-alone
 *   --strict`): every reference expanded in place, descriptions kept, `additionalProperties: false`
 *   wherever properties are listed, `apiVersion` and `kind` pinned by an enum, and every type but those
 *   of required fields also allowing `null`. About 600 KB for a Deployment.
 * - `crdsCatalogSchema`: a CRD version's schema as datreeio/CRDs-catalog publishes it: the
 *   `openAPIV3Schema` as it is, objects with properties closed (the root left open), descriptions kept.
 *
 * Both are approximations made from the OpenAPI v3 files (the published ones come from the v2 file):
 * they accept and refuse the same manifests, and are of the same size and shape.
 */

type Node = Record<string, unknown>;

const REF = '#/components/schemas/';

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `node` with every `$ref` replaced by a copy of what it names (a one-reference `allOf` flattened). */
function expand(node: unknown, components: Readonly<Record<string, Node>>, through: string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => expand(item, components, through));
  if (!isNode(node)) return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.slice(REF.length);
    if (through.includes(name)) throw new Error(`${name} refers to itself: it cannot be expanded`);
    if (!components[name]) throw new Error(`OpenAPI component ${name} is referenced but not published`);
    return expand(components[name], components, [...through, name]);
  }
  // OpenAPI v3 wraps a reference that carries a description or a default in a one-item allOf; the v2
  // file the published schemas come from has the plain reference, expanded with the field's own keys.
  if (Array.isArray(node.allOf) && node.allOf.length === 1) {
    const { allOf, ...own } = node;
    return {
      ...(expand(allOf[0], components, through) as Node),
      ...(expand(own, components, through) as Node),
    };
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, expand(value, components, through)]),
  );
}

/** openapi2jsonschema's int-or-string rule: such a field is a string or an integer, nothing else said. */
function intOrString(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(intOrString);
  if (!isNode(node)) return node;
  if (node.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, intOrString(value)]));
}

/** Every object that lists properties and says nothing of others refuses them (`--strict`). */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!isNode(node)) return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closed(value)]));
  if (node.properties !== undefined && node.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * openapi2jsonschema's `allow_null_optional_fields`: a `type` also allows `null` unless the schema it
 * belongs to is a field its object lists as required. `owner` is the schema that holds the one holding
 * `node`, `key` the name `node` has there.
 */
function nullable(node: unknown, parent?: unknown, owner?: unknown, key?: string): unknown {
  if (!isNode(node)) return node;
  const required = isNode(owner) && Array.isArray(owner.required) ? (owner.required as unknown[]) : [];
  const out: Node = {};
  for (const [name, value] of Object.entries(node)) {
    if (Array.isArray(value)) out[name] = value.map((item) => nullable(item, value, parent, name));
    else if (isNode(value)) out[name] = nullable(value, node, parent, name);
    else if (name === 'type' && typeof value === 'string' && value !== 'null' && !required.includes(key))
      out[name] = [value, 'null'];
    else out[name] = value;
  }
  return out;
}

/** The standalone strict schema of the kind `apiVersion`/`kind`, whose OpenAPI component is `name`. */
export function kubernetesJsonSchema(
  components: Readonly<Record<string, Node>>,
  name: string,
  apiVersion: string,
  kind: string,
): Node {
  const expanded = closed(intOrString(expand(components[name], components, [name]))) as Node;
  const properties = nullable(expanded.properties ?? {}) as Record<string, Node>;
  for (const [field, value] of [
    ['apiVersion', apiVersion],
    ['kind', kind],
  ]) {
    if (properties[field]) properties[field] = { ...properties[field], enum: [value] };
  }
  return {
    ...expanded,
    properties,
    type: expanded.type ?? 'object',
    additionalProperties: false,
    $schema: 'http://json-schema.org/schema#',
  };
}

/** The schema of one version of a CRD, from its `openAPIV3Schema`. */
export function crdsCatalogSchema(openApiV3Schema: Node): Node {
  const objectsClosed = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => objectsClosed(item, false));
    if (!isNode(node)) return node;
    const out = Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, objectsClosed(value, false)]),
    );
    const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
    if (!root && isObject && node.properties !== undefined && node.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  return intOrString(objectsClosed(openApiV3Schema, true)) as Node;
}
