import { KubeObject } from '../manifest/kube-object';

type Index = ReadonlyMap<string, readonly KubeObject[]>;
const built = new WeakMap<readonly KubeObject[], Map<string, Index>>();

/**
 * The objects of `all` grouped by `keyOf` (objects it returns `undefined` for are left out), built
 * once per evaluation and index name: rules that compare an object with the others stay linear.
 */
export function indexOf(
  all: readonly KubeObject[],
  name: string,
  keyOf: (object: KubeObject) => string | undefined,
): Index {
  let indexes = built.get(all);
  if (!indexes) built.set(all, (indexes = new Map()));
  let index = indexes.get(name);
  if (!index) {
    const groups = new Map<string, KubeObject[]>();
    for (const object of all) {
      const key = keyOf(object);
      if (key === undefined) continue;
      const group = groups.get(key);
      if (group) group.push(object);
      else groups.set(key, [object]);
    }
    indexes.set(name, (index = groups));
  }
  return index;
}
