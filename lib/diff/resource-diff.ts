import { createHash } from 'node:crypto';
import { CLUSTER_SCOPED_KINDS } from '../manifest/object-id';
import { KubeObject } from '../manifest/kube-object';
import { FieldChange, fieldChanges } from './field-changes';

export enum ResourceChangeType {
  ADDED = 'added',
  REMOVED = 'removed',
  CHANGED = 'changed',
}

/** How one Kubernetes object differs between two renders. */
export interface ResourceChange {
  /** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped or namespace-less object. */
  readonly id: string;
  readonly type: ResourceChangeType;
  /** The changed fields; empty for an added or removed object. */
  readonly fields: readonly FieldChange[];
  /** The object as added (for `added`), secrets redacted. */
  readonly object?: KubeObject;
}

/** `Kind/namespace/name`, or `Kind/name` when the object has no namespace. */
export function resourceId(object: KubeObject): string {
  const name = object.metadata?.name ?? '<unnamed>';
  const namespace = CLUSTER_SCOPED_KINDS.has(object.kind) ? undefined : object.metadata?.namespace;
  return namespace ? `${object.kind}/${namespace}/${name}` : `${object.kind}/${name}`;
}

const fingerprint = (value: unknown): string =>
  `<redacted sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12)}>`;

/** A Secret with each value replaced by a short hash: changes stay visible, values do not leak into a comment. */
export function redactSecrets(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const redacted: Record<string, unknown> = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = object[field] as Record<string, unknown> | undefined;
    if (values)
      redacted[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fingerprint(v)]));
  }
  return redacted as KubeObject;
}

function byId(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const object of objects) {
    const id = resourceId(object);
    let unique = id;
    for (let n = 2; map.has(unique); n++) unique = `${id} (#${n})`;
    map.set(unique, redactSecrets(object));
  }
  return map;
}

/** Objects added, removed and changed from `before` to `after`, matched by kind, namespace and name, sorted by id. */
export function diffResources(before: readonly KubeObject[], after: readonly KubeObject[]): ResourceChange[] {
  const old = byId(before);
  const next = byId(after);
  const ids = [...new Set([...old.keys(), ...next.keys()])].sort();
  return ids.flatMap((id): ResourceChange[] => {
    const previous = old.get(id);
    const current = next.get(id);
    if (!previous) return [{ id, type: ResourceChangeType.ADDED, fields: [], object: current }];
    if (!current) return [{ id, type: ResourceChangeType.REMOVED, fields: [] }];
    const fields = fieldChanges(previous, current);
    return fields.length === 0 ? [] : [{ id, type: ResourceChangeType.CHANGED, fields }];
  });
}
