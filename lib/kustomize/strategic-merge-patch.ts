import { isDeepStrictEqual } from 'node:util';

/** List fields that strategic merge patches merge element by element, keyed by `name`. */
const MERGED_BY_NAME = new Set(['containers', 'initContainers', 'env', 'volumes']);
/**
 * List fields without a merge key in the Kubernetes API (an Ingress's `rules`, `tls` and its `hosts`):
 * a patch holding them replaces them whole. Other lists may have a merge key of their own, so a whole
 * list in a patch would be merged into, not replace, the base's: those are refused.
 */
const REPLACED_WHOLE = new Set(['rules', 'tls', 'hosts']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The strategic merge patch that turns `base` into `target`, or `undefined` when they are equal.
 * Throws for a change a patch of this form cannot express (a list element removed, an unmerged list
 * changed), naming the field, so that nothing is silently lost.
 */
export function strategicMergePatch(base: unknown, target: unknown, path = ''): unknown {
  if (isDeepStrictEqual(base, target)) return undefined;
  if (isRecord(base) && isRecord(target)) return diffRecords(base, target, path);
  if (Array.isArray(base) && Array.isArray(target) && MERGED_BY_NAME.has(lastField(path))) {
    return diffNamedLists(base, target, path);
  }
  if (Array.isArray(base) && Array.isArray(target) && REPLACED_WHOLE.has(lastField(path))) return target;
  if (Array.isArray(base) || Array.isArray(target)) {
    throw new Error(
      `overlay patch cannot express the change of list ${path}: make it equal in base and overlay`,
    );
  }
  return target;
}

function lastField(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function diffRecords(base: Record<string, unknown>, target: Record<string, unknown>, path: string): unknown {
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(target)])) {
    if (!(key in target)) {
      patch[key] = null;
      continue;
    }
    const change = key in base ? strategicMergePatch(base[key], target[key], `${path}.${key}`) : target[key];
    if (change !== undefined) patch[key] = change;
  }
  return patch;
}

function diffNamedLists(base: unknown[], target: unknown[], path: string): unknown[] {
  const nameOf = (element: unknown): string => {
    if (!isRecord(element) || typeof element.name !== 'string') {
      throw new Error(`overlay patch needs a name on every element of ${path}`);
    }
    return element.name;
  };
  const baseByName = new Map(base.map((element) => [nameOf(element), element]));
  const targetNames = new Set(target.map(nameOf));
  const removed = [...baseByName.keys()].filter((name) => !targetNames.has(name));
  if (removed.length > 0) {
    throw new Error(`overlay patch cannot remove ${removed.join(', ')} from ${path}`);
  }
  return target.flatMap((element) => {
    const name = nameOf(element);
    const previous = baseByName.get(name);
    if (previous === undefined) return [element];
    const change = strategicMergePatch(previous, element, `${path}[${name}]`);
    return change === undefined ? [] : [{ name, ...(change as object) }];
  });
}
