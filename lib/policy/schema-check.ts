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

const accepts = (type: unknown, value: unknown): boolean => {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return type === actual;
};

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
  const visit = (node: SchemaNode | undefined, current: unknown): void => {
    if (node === undefined || current === null || current === undefined) return;
    if (typeof node.$ref === 'string') return visit(resolve(node.$ref), current);
    if (Array.isArray(node.allOf)) for (const part of node.allOf as SchemaNode[]) visit(part, current);
    const types = typesOf(node);
    if (types && !types.some((type) => accepts(type, current))) {
      const got = typeof current === 'string' ? `string "${current.slice(0, 40)}"` : typeOf(current);
      problems.push({
        kind: 'wrong-type',
        message: `${shown(path) || '<object>'} must be ${types.join(' or ')}, not ${got}`,
        path: [...path],
      });
      return;
    }
    if (Array.isArray(current)) {
      const items = node.items as SchemaNode | undefined;
      current.forEach((item, index) => into(items, item, index));
      return;
    }
    if (!isObject(current)) return;
    const properties = node.properties as Record<string, SchemaNode> | undefined;
    const additional = node.additionalProperties;
    const open = node['x-kubernetes-preserve-unknown-fields'] === true;
    for (const [key, child] of Object.entries(current)) {
      if (properties && Object.hasOwn(properties, key)) into(properties[key], child, key);
      else if (isObject(additional)) into(additional, child, key);
      else if (properties && additional !== true && !open) {
        const at = [...path, key];
        problems.push({ kind: 'unknown-field', message: `unknown field "${shown(at)}"`, path: at });
      }
    }
  };
  visit(root, value);
  return problems;
}
