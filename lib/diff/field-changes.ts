import { isDeepStrictEqual } from 'node:util';

/** One field that differs between two versions of an object. */
export interface FieldChange {
  /** Where, e.g. `spec.template.spec.containers[backend].image`; list elements with a `name` by name. */
  readonly path: string;
  /** The value before; absent when the field was added. */
  readonly before?: unknown;
  /** The value after; absent when the field was removed. */
  readonly after?: unknown;
}

type Record_ = Record<string, unknown>;
const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/** Names of a list's elements when every element is a record with a distinct string `name`. */
function elementNames(list: readonly unknown[]): string[] | undefined {
  const names = list.map((element) => (isRecord(element) ? element.name : undefined));
  if (names.length === 0 || !names.every((name): name is string => typeof name === 'string'))
    return undefined;
  return new Set(names).size === names.length ? names : undefined;
}

function listChanges(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
  const beforeNames = elementNames(before);
  const afterNames = elementNames(after);
  if (beforeNames && afterNames) {
    const byName = (list: readonly unknown[], names: string[]) =>
      new Map(names.map((name, i) => [name, list[i]]));
    const old = byName(before, beforeNames);
    const next = byName(after, afterNames);
    const names = [...new Set([...beforeNames, ...afterNames])];
    return names.flatMap((name) =>
      diffValues(old.get(name), next.get(name), `${path}[${name}]`, old.has(name), next.has(name)),
    );
  }
  const length = Math.max(before.length, after.length);
  return Array.from({ length }, (_, i) =>
    diffValues(before[i], after[i], `${path}[${i}]`, i < before.length, i < after.length),
  ).flat();
}

function diffValues(
  before: unknown,
  after: unknown,
  path: string,
  hadBefore: boolean,
  hasAfter: boolean,
): FieldChange[] {
  if (!hadBefore) return [{ path, after }];
  if (!hasAfter) return [{ path, before }];
  if (isDeepStrictEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) =>
      diffValues(before[key], after[key], keyPath(path, key), key in before, key in after),
    );
  }
  if (Array.isArray(before) && Array.isArray(after)) return listChanges(before, after, path);
  return [{ path, before, after }];
}

/**
 * The leaf fields that differ between `before` and `after`, sorted by path. A field whose type changes
 * (a list that becomes a string…) is one change with both whole values.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  return diffValues(before, after, '', true, true).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}
