import { DEFAULT_FIELD_MANAGERS, FieldManagers, isHandManager } from './field-managers';
import { FieldsV1, formatFieldPath, ownedFieldPaths } from './fields-v1';
import { groupOf } from '../manifest/api-group';
import { TrackedObjectHeader, trackingOf } from './tracking-id';

/** One entry of `metadata.managedFields`, as the API server returns it. */
export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly time?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: FieldsV1;
  readonly subresource?: string;
}

/** A live object as read from the API server: only what drift reads is typed. */
export interface LiveObject extends TrackedObjectHeader {
  readonly metadata?: TrackedObjectHeader['metadata'] & {
    readonly uid?: string;
    readonly creationTimestamp?: string;
    readonly ownerReferences?: readonly {
      readonly uid?: string;
      readonly kind?: string;
      readonly name?: string;
    }[];
    readonly managedFields?: readonly ManagedFieldsEntry[];
  };
  readonly [field: string]: unknown;
}

/** Which object a finding is about. */
export interface DriftObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** A field of an object ArgoCD tracks, or an object ArgoCD does not track, and who wrote it. */
export interface DriftFinding {
  readonly object: DriftObjectRef;
  /** The field path (`data.EXTRA`); absent when the finding is the whole object. */
  readonly field?: string;
  /** Why it is a finding, one line. */
  readonly reason: string;
  /** The field manager the API server recorded; `(unknown)` for an object without managedFields. */
  readonly manager: string;
  /** `Update` (create, update, patch) or `Apply` (server-side apply). */
  readonly operation?: string;
  /** When the manager last wrote any of its fields of the object (the API server keeps one time per entry). */
  readonly time?: string;
  /** `scale` for `kubectl scale`; absent for the object itself. */
  readonly subresource?: string;
  /** The Application that tracks the object, for a field finding. */
  readonly application?: string;
}

/** Kinds never reported as untracked objects, each with the reason (docs/drift.md explains them). */
export const UNTRACKED_KINDS_IGNORED: Readonly<Record<string, string>> = {
  Event: 'a record of something that happened, not state; expires on its own',
  'events.k8s.io/Event': 'the same Events, served by a second API',
  'coordination.k8s.io/Lease': "leader election's and node heartbeats' bookkeeping",
  'discovery.k8s.io/EndpointSlice': "the endpoint controllers' view of a Service's pods",
  Endpoints:
    "the endpoints controller's view of a Service's pods (or a selector-less Service's hand-set targets)",
};

/** Objects (`group/Kind/name`, the core group bare) the control plane creates in every namespace. */
export const UNTRACKED_OBJECTS_IGNORED: Readonly<Record<string, string>> = {
  'ServiceAccount/default': "every namespace's default ServiceAccount (the serviceaccount controller's)",
  'ConfigMap/kube-root-ca.crt': 'the cluster CA bundle the root-ca-cert-publisher puts in every namespace',
};

/** `Kind` for the core group, `group/Kind` otherwise: the key of `UNTRACKED_KINDS_IGNORED`. */
export const groupKindOf = (apiVersion: string, kind: string): string => {
  const group = groupOf(apiVersion);
  return group === '' ? kind : `${group}/${kind}`;
};

/** An object this repository declares that something other than ArgoCD applies (the Pulumi program). */
export interface DeclaredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

export interface FindDriftOptions {
  /** The Applications this repository declares: an object tracked by another one is not ours. */
  readonly applications: readonly string[];
  /**
   * Objects the repository declares outside ArgoCD (`infra/cluster/`, applied by `pulumi up`): never
   * reported as untracked, and their fields not checked here (`pulumi preview --refresh` shows theirs).
   * @default - none
   */
  readonly appliedElsewhere?: readonly DeclaredObject[];
  /** @default DEFAULT_FIELD_MANAGERS */
  readonly managers?: FieldManagers;
}

const refOf = (object: LiveObject): DriftObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  namespace: object.metadata?.namespace ?? '',
  name: object.metadata?.name ?? '',
});

/** `status` is the controllers' report of what is, not what anyone wants: never desired state. */
const isStatus = (entry: ManagedFieldsEntry, path: string): boolean =>
  entry.subresource === 'status' ||
  path === 'status' ||
  path.startsWith('status.') ||
  path.startsWith('status[');

/** Every field of a tracked object whose manager is not GitOps nor a controller. */
function fieldFindings(object: LiveObject, application: string, managers: FieldManagers): DriftFinding[] {
  return (object.metadata?.managedFields ?? [])
    .filter((entry) => isHandManager(entry.manager, managers) && entry.fieldsV1 !== undefined)
    .flatMap((entry) =>
      ownedFieldPaths(entry.fieldsV1 as FieldsV1)
        .map(formatFieldPath)
        .filter((field) => !isStatus(entry, field))
        .map((field): DriftFinding => ({
          object: refOf(object),
          field,
          reason: `set by ${entry.manager ?? '(no manager)'}, neither ArgoCD nor a cluster controller`,
          manager: entry.manager ?? '(unknown)',
          operation: entry.operation,
          time: entry.time,
          ...(entry.subresource ? { subresource: entry.subresource } : {}),
          application,
        })),
    );
}

/**
 * One finding per writer of an untracked object, the cluster's controllers left out (an object only
 * they wrote is their bookkeeping, not a hand change). ArgoCD stays in: an object it wrote that no
 * Application of ours tracks came from somewhere else than this repository.
 */
function objectFindings(object: LiveObject, reason: string, managers: FieldManagers): DriftFinding[] {
  const all = object.metadata?.managedFields ?? [];
  const writers = all.filter((entry) => !managers.controllers.includes(entry.manager ?? ''));
  if (all.length > 0 && writers.length === 0) return [];
  const ref = refOf(object);
  if (writers.length === 0) {
    return [{ object: ref, reason, manager: '(unknown)', time: object.metadata?.creationTimestamp }];
  }
  return writers.map((entry) => ({
    object: ref,
    reason,
    manager: entry.manager ?? '(unknown)',
    operation: entry.operation,
    time: entry.time,
  }));
}

/**
 * The hand changes in one namespace's objects (every kind the API server lists there):
 *  - for each object ArgoCD tracks for one of `applications`, every field whose manager is neither
 *    ArgoCD nor a cluster controller (ArgoCD's diff compares only the fields Git sets, so self-heal
 *    never reverts these);
 *  - each object no Application of ours tracks and nothing owns (ownerReferences: a ReplicaSet or Pod
 *    is its Deployment's), except the kinds and objects the control plane makes by itself.
 * Sorted by object, then field.
 */
export function findDrift(objects: readonly LiveObject[], options: FindDriftOptions): DriftFinding[] {
  const managers = options.managers ?? DEFAULT_FIELD_MANAGERS;
  const identity = (o: DeclaredObject): string =>
    [groupKindOf(o.apiVersion, o.kind), o.metadata?.namespace ?? '', o.metadata?.name ?? ''].join('/');
  const elsewhere = new Set((options.appliedElsewhere ?? []).map(identity));
  const findings = objects.flatMap((object): DriftFinding[] => {
    const tracking = trackingOf(object);
    if ('application' in tracking && options.applications.includes(tracking.application)) {
      return fieldFindings(object, tracking.application, managers);
    }
    if (elsewhere.has(identity(object))) return [];
    // An owned object exists because of its owner: reported, if at all, as the owner.
    if ((object.metadata?.ownerReferences ?? []).length > 0) return [];
    if (Object.hasOwn(UNTRACKED_KINDS_IGNORED, groupKindOf(object.apiVersion, object.kind))) return [];
    if (
      Object.hasOwn(
        UNTRACKED_OBJECTS_IGNORED,
        `${groupKindOf(object.apiVersion, object.kind)}/${object.metadata?.name}`,
      )
    )
      return [];
    const reason =
      'application' in tracking
        ? `tracked by Application "${tracking.application}", which this repository does not declare`
        : `not tracked by ArgoCD: ${tracking.untracked}`;
    return objectFindings(object, reason, managers);
  });
  const key = (f: DriftFinding): string =>
    [
      f.object.namespace,
      groupKindOf(f.object.apiVersion, f.object.kind),
      f.object.name,
      f.field ?? '',
      f.manager,
    ].join('\u0000');
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
