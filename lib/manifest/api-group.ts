/** The API group of an `apiVersion`: `apps` of `apps/v1`, `` (the core group) of `v1`. */
export const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';

/** A Kubernetes kind, by API group (`''` for the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}
