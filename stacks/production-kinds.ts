import { buildModel } from '../charts/app';
import { GroupKind, namespacedGroupKindsOf } from '../lib';

let kinds: readonly GroupKind[] | undefined;

/**
 * The kinds production runs: those of the objects the prod overlay renders, as charts/ builds them
 * (the same list ArgoCD's production project allows). Built once per process.
 */
export function productionKinds(): readonly GroupKind[] {
  kinds ??= namespacedGroupKindsOf(buildModel().prod);
  return kinds;
}
