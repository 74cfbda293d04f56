/**
 * The `FieldsV1` format of `metadata.managedFields[].fieldsV1`: a trie whose keys name one step each.
 * `f:<name>` a field of a map or struct, `k:<json>` the element of a keyed list whose key fields have
 * those values, `v:<json>` the element of a set with that value, `i:<n>` the element at an index of an
 * atomic list, and `.` the node itself (the manager owns its existence, e.g. a list element it added).
 * An empty object is an owned leaf.
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management
 */
export type FieldsV1 = { readonly [step: string]: FieldsV1 };

/** One step of a field path, decoded from a `FieldsV1` key. */
export type FieldStep =
  | { readonly field: string }
  | { readonly keys: Readonly<Record<string, unknown>> }
  | { readonly value: unknown }
  | { readonly index: number };

/** Thrown for a key that is none of the `FieldsV1` forms: the API server never writes one. */
export class FieldsV1Error extends Error {
  constructor(key: string, reason: string) {
    super(`not a FieldsV1 key: ${JSON.stringify(key)} (${reason})`);
    this.name = 'FieldsV1Error';
  }
}

const parseJson = (key: string, text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new FieldsV1Error(key, 'its value is not JSON');
  }
};

/** The step a `FieldsV1` key names. */
export function decodeFieldStep(key: string): FieldStep {
  const colon = key.indexOf(':');
  const prefix = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  switch (colon < 0 ? '' : prefix) {
    case 'f':
      return { field: rest };
    case 'k': {
      const keys = parseJson(key, rest);
      if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
        throw new FieldsV1Error(key, 'k: takes a JSON object of key fields');
      }
      return { keys: keys as Record<string, unknown> };
    }
    case 'v':
      return { value: parseJson(key, rest) };
    case 'i': {
      const index = Number(rest);
      if (!Number.isInteger(index) || index < 0) throw new FieldsV1Error(key, 'i: takes an index');
      return { index };
    }
    default:
      throw new FieldsV1Error(key, 'expected f:, k:, v:, i: or .');
  }
}

const isListElement = (step: FieldStep | undefined): boolean => step !== undefined && !('field' in step);

/**
 * The paths a manager owns, as a reader wants them: every owned leaf, except that a list element the
 * manager added as a whole (`.` under a `k:`, `v:` or `i:` step) is one path, its fields being parts of
 * it. A map's own `.` (it created the map) adds nothing beside the keys it owns, so only the keys are
 * listed; a map it owns with no key of its own is listed itself.
 */
export function ownedFieldPaths(fields: FieldsV1): FieldStep[][] {
  const paths: FieldStep[][] = [];
  const walk = (node: FieldsV1, path: FieldStep[]): void => {
    const keys = Object.keys(node);
    if (keys.length === 0 || (keys.includes('.') && isListElement(path[path.length - 1]))) {
      if (path.length > 0) paths.push(path);
      return;
    }
    const children = keys.filter((key) => key !== '.');
    if (children.length === 0) {
      if (path.length > 0) paths.push(path);
      return;
    }
    for (const key of children) walk(node[key], [...path, decodeFieldStep(key)]);
  };
  walk(fields, []);
  return paths;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const shown = (value: unknown): string => JSON.stringify(value);

/**
 * `spec.template.spec.containers[name="api"].env[name="FOO"]`: fields joined by dots (a name that is not
 * an identifier in brackets, `metadata.annotations["example.com/x"]`), keyed elements as
 * `[key=value,...]`, set elements as `[=value]`, indices as `[n]`.
 */
export function formatFieldPath(path: readonly FieldStep[]): string {
  return path
    .map((step, i) => {
      if ('field' in step) {
        if (!PLAIN_NAME.test(step.field)) return `[${shown(step.field)}]`;
        return i === 0 ? step.field : `.${step.field}`;
      }
      if ('keys' in step) {
        const pairs = Object.entries(step.keys).map(([key, value]) => `${key}=${shown(value)}`);
        return `[${pairs.join(',')}]`;
      }
      if ('value' in step) return `[=${shown(step.value)}]`;
      return `[${step.index}]`;
    })
    .join('');
}
