import { buildModel } from '../charts/app';
import { production } from '../charts/environments';
import { GroupKind, namespacedGroupKindsOf } from '../lib';

let model: ReturnType<typeof buildModel> | undefined;
const kinds = new Map<string, readonly GroupKind[]>();

/**
 * The kinds environment `name` runs: those of the objects its overlays render, as charts/ builds them
 * (the same list its ArgoCD project allows). The model is built once per process.
 */
export function environmentKinds(name: string): readonly GroupKind[] {
  let found = kinds.get(name);
  if (found === undefined) {
    model ??= buildModel();
    const deployed = model.deployed[name];
    if (deployed === undefined) {
      throw new Error(
        `environment "${name}" is not in charts/environments.ts, so no overlay says what it runs: declare it there, or pass the kinds it runs (kindsOf)`,
      );
    }
    found = namespacedGroupKindsOf(Object.values(deployed).flat());
    kinds.set(name, found);
  }
  return found;
}

/** The kinds production runs: what break-glass may apply there (the ArgoCD-down runbook). */
export function productionKinds(): readonly GroupKind[] {
  return environmentKinds(production.name);
}
