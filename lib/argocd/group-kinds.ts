import { groupOf } from '../manifest/api-group';
import { CLUSTER_SCOPED_KINDS } from '../manifest/object-id';
import { KubeObject } from '../manifest/kube-object';
import { GroupKind } from '../argocd-api/argocd-types';

/** The distinct namespaced kinds of `objects`, sorted: what a project deploying them must allow. */
export function namespacedGroupKindsOf(objects: readonly KubeObject[]): GroupKind[] {
  const keys = new Set(
    objects
      .filter((object) => !CLUSTER_SCOPED_KINDS.has(object.kind))
      .map((object) => `${groupOf(object.apiVersion)}|${object.kind}`),
  );
  return [...keys]
    .map((key) => {
      const [group, kind] = key.split('|');
      return { group, kind };
    })
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
}
