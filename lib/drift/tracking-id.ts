import { groupOf } from '../manifest/api-group';
/** The annotation ArgoCD v3 tracks its objects by (its default `application.resourceTrackingMethod`). */
export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** A parsed tracking id: `<application>:<group>/<kind>:<namespace>/<name>`. */
export interface TrackingId {
  readonly application: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** What a tracking id is compared with. */
export interface TrackedObjectHeader {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

/** The tracking id, or `undefined` when it is not in ArgoCD's format (ArgoCD then ignores it too). */
export function parseTrackingId(value: string): TrackingId | undefined {
  // As ArgoCD's ParseAppInstanceValue (util/argo/resource_tracking.go): split on the first two colons.
  const match = /^([^:]*):([^:/]*)\/([^:/]*):([^/]*)\/(.*)$/.exec(value);
  if (!match || match[5].includes('/')) return undefined;
  const [, application, group, kind, namespace, name] = match;
  return { application, group, kind, namespace, name };
}

/**
 * The Application that tracks `object`, or why none does. As ArgoCD's `isSelfReferencedObj`
 * (controller/state.go), an id naming another object (an annotation copied with a manifest) is no
 * tracking at all: ArgoCD neither syncs nor prunes that object.
 */
export function trackingOf(
  object: TrackedObjectHeader,
): { readonly application: string } | { readonly untracked: string } {
  const value = object.metadata?.annotations?.[TRACKING_ID_ANNOTATION];
  if (value === undefined) return { untracked: `no ${TRACKING_ID_ANNOTATION} annotation` };
  const id = parseTrackingId(value);
  if (!id) return { untracked: `${TRACKING_ID_ANNOTATION} "${value}" is not in ArgoCD's format` };
  const namespace = object.metadata?.namespace ?? '';
  const matches =
    id.group === groupOf(object.apiVersion) &&
    id.kind === object.kind &&
    id.name === object.metadata?.name &&
    (namespace === '' || id.namespace === namespace);
  if (!matches) return { untracked: `${TRACKING_ID_ANNOTATION} "${value}" names another object` };
  return { application: id.application };
}
