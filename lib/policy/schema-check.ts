import { SchemaProblem } from './types';

/** An OpenAPI v3 schema node, as Kubernetes publishes it (and CRDs declare it). */
export type SchemaNode = { readonly [key: string]: unknown };

/** Finds the component a `$ref` names. */
export type ResolveRef = (ref: string) => SchemaNode | undefined;

type Path = (string | number)[];

const shown = (path: readonly (string | number)[]): string =>
  path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    '',
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON type of a decoded YAML value, in the API's words. */
function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** What checking a value against one schema node needs, read from the node once (see `compiled`). */
interface CompiledNode {
  /** The node stands for another (`$ref`); its other keys are not read. */
  readonly ref?: string;
  readonly allOf?: readonly SchemaNode[];
  /** The JSON types it allows, when it says. */
  readonly types?: readonly unknown[];
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  /** The schema of keys `properties` does not name. */
  readonly additional?: SchemaNode;
  /** A key neither `properties` nor `additional` covers is unknown. */
  readonly closed: boolean;
}

/** The types a node allows, when it says (`type`, or `oneOf`/`anyOf` of plain types), else undefined. */
function typesOf(node: SchemaNode): unknown[] | undefined {
  if (node['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  if (node.type !== undefined) return [node.type];
  const branches = (node.oneOf ?? node.anyOf) as SchemaNode[] | undefined;
  if (Array.isArray(branches) && branches.every((branch) => typeof branch.type === 'string')) {
    return branches.map((branch) => branch.type);
  }
  return undefined;
}

// A schema is read-only and shared by every object checked against it: each node is read once.
const COMPILED = new WeakMap<SchemaNode, CompiledNode>();

function compiled(node: SchemaNode): CompiledNode {
  let found = COMPILED.get(node);
  if (!found) {
    const properties = node.properties as Record<string, SchemaNode> | undefined;
    const additional = node.additionalProperties;
    found = {
      ref: typeof node.$ref === 'string' ? node.$ref : undefined,
      allOf: Array.isArray(node.allOf) ? (node.allOf as SchemaNode[]) : undefined,
      types: typesOf(node),
      items: node.items as SchemaNode | undefined,
      properties,
      additional: isObject(additional) ? additional : undefined,
      closed:
        properties !== undefined &&
        additional !== true &&
        !isObject(additional) &&
        node['x-kubernetes-preserve-unknown-fields'] !== true,
    };
    COMPILED.set(node, found);
  }
  return found;
}

/** Whether a value of JSON type `actual` is one of `types` (an integer is a number too). */
const accepts = (types: readonly unknown[], actual: string): boolean =>
  types.includes(actual) || (actual === 'integer' && types.includes('number'));

/**
 * The fields of `value` its schema does not declare, and the values of the wrong JSON type, the way
 * the API server's strict field validation decodes them: `null` is an unset field, and a field is
 * unknown only where the schema lists properties and neither allows additional ones nor preserves
 * unknown fields.
 */
export function schemaProblems(value: unknown, root: SchemaNode, resolve: ResolveRef): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // One path, pushed and popped as the walk goes: copied only for a problem.
  const path: Path = [];
  const into = (node: SchemaNode | undefined, current: unknown, key: string | number): void => {
    path.push(key);
    visit(node, current);
    path.pop();
  };
  const visit = (schema: SchemaNode | undefined, current: unknown): void => {
    if (schema === undefined || current === null || current === undefined) return;
    const node = compiled(schema);
    if (node.ref !== undefined) return visit(resolve(node.ref), current);
    if (node.allOf) for (const part of node.allOf) visit(part, current);
    if (node.types) {
      const actual = typeOf(current);
      if (!accepts(node.types, actual)) {
        const got = typeof current === 'string' ? `string "${current.slice(0, 40)}"` : actual;
        problems.push({
          kind: 'wrong-type',
          message: `${shown(path) || '<object>'} must be ${node.types.join(' or ')}, not ${got}`,
          path: [...path],
        });
        return;
      }
    }
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) into(node.items, current[index], index);
      return;
    }
    if (!isObject(current)) return;
    const { properties, additional } = node;
    for (const key of Object.keys(current)) {
      if (properties && Object.hasOwn(properties, key)) into(properties[key], current[key], key);
      else if (additional) into(additional, current[key], key);
      else if (node.closed) {
        const at = [...path, key];
        problems.push({ kind: 'unknown-field', message: `unknown field "${shown(at)}"`, path: at });
      }
    }
  };
  visit(root, value);
  return problems;
}
