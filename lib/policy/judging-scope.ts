/*
 * Values the rules derive from the object they judge (its pod specs, its containers, the inputs of
 * the pod and container rules), computed once per object instead of once per rule. They are kept only
 * while `evaluateSourced` runs the rules over one object: a rule called on its own computes them
 * afresh, and an object changed after it was judged is never answered from an old value.
 */

/** One memo per derivation, keyed by the object (or part of it) it was derived from. */
let scope: Map<unknown, Map<object, unknown>> | undefined;

/** Runs `judge` (every rule over one object) with a fresh scope of memos, dropped when it returns. */
export function judging<T>(judge: () => T): T {
  const outer = scope;
  scope = new Map();
  try {
    return judge();
  } finally {
    scope = outer;
  }
}

/**
 * `derive`, remembered within the current scope for each key: a pure function of the key, whose
 * result its callers only read.
 */
export function memoized<K extends object, T>(derive: (key: K) => T): (key: K) => T {
  return (key) => {
    if (scope === undefined) return derive(key);
    let values = scope.get(derive) as Map<K, T> | undefined;
    if (values === undefined) scope.set(derive, (values = new Map<object, unknown>() as Map<K, T>));
    if (values.has(key)) return values.get(key) as T;
    const value = derive(key);
    values.set(key, value);
    return value;
  };
}
