/**
 * A type of lib/argocd-api as read from a file someone else wrote: every field, at every depth, may be
 * missing. The constructs render the types themselves (every required field set); the policy reads any
 * YAML through this view of the same declarations, so a field has one definition for both.
 */
export type Unchecked<T> = T extends string | number | boolean
  ? T
  : T extends readonly (infer Element)[]
    ? readonly Unchecked<Element>[]
    : { readonly [Field in keyof T]?: Unchecked<T[Field]> };
