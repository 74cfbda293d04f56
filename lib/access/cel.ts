/**
 * Small builders of CEL text for ValidatingAdmissionPolicies. Values are converted with `dyn()` so the
 * API server's type checker accepts iterating over the fields of a typed object.
 * @see https://kubernetes.io/docs/reference/using-api/cel/
 */

/** A CEL single-quoted string literal. Refuses quotes and backslashes, which no caller needs. */
export function celString(value: string): string {
  if (/['"\\\n]/.test(value))
    throw new Error(`celString: ${JSON.stringify(value)} contains a quote or backslash`);
  return `'${value}'`;
}

/** A CEL list literal of strings. */
export function celStrings(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}

/**
 * CEL that is true when the maps `a` and `b` hold the same keys with equal values, ignoring the keys
 * `ignored`. A field added to either side, removed or changed makes it false: new API fields are covered
 * without listing them.
 */
export function celSameExcept(a: string, b: string, ignored: readonly string[]): string {
  const skip = `k in ${celStrings(ignored)}`;
  return (
    `(dyn(${a}).all(k, ${skip} || (k in dyn(${b}) && dyn(${a})[k] == dyn(${b})[k])) && ` +
    `dyn(${b}).all(k, ${skip} || k in dyn(${a})))`
  );
}

/** CEL for `expression.field`, or an empty list when the field is absent. */
export function celListOrEmpty(expression: string, field: string): string {
  return `(has(${expression}.${field}) ? ${expression}.${field} : [])`;
}

/** CEL for `expression.field`, or an empty map when the field is absent. */
export function celMapOrEmpty(expression: string, field: string): string {
  return `(has(${expression}.${field}) ? ${expression}.${field} : {})`;
}
