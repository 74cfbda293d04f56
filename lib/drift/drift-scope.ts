import { ApplicationSpec } from '../argocd-api/argocd-types';
import { Unchecked } from '../argocd-api/unchecked';

/** An ArgoCD Application as read from `infra/argocd/`: its name, its namespace and its spec. */
export interface ApplicationHeader {
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: Unchecked<ApplicationSpec>;
  readonly [field: string]: unknown;
}

/** What `npm run drift` reads: the Applications' destination namespaces, and the ones it leaves out. */
export interface DriftScope {
  /** Every Application's name: its objects are ours. */
  readonly applications: readonly string[];
  /** Namespaces checked, sorted. */
  readonly namespaces: readonly string[];
  /** Destination namespaces left out, with the reason. */
  readonly skipped: readonly { readonly namespace: string; readonly reason: string }[];
}

/**
 * The namespaces to check: every Application's destination, except the namespace ArgoCD runs in (where
 * the Applications themselves live). That one holds ArgoCD's own installation, which no Application
 * tracks, and the Applications, which ArgoCD's API server and controller write to by design (a sync
 * request's `operation`, `refresh` annotations): checked there, every sync would be a finding.
 */
export function driftScopeOf(applications: readonly ApplicationHeader[]): DriftScope {
  const apps = applications.filter((object) => object.kind === 'Application');
  const argocdNamespaces = new Set(apps.map((app) => app.metadata?.namespace).filter((n) => n !== undefined));
  const destinations = [
    ...new Set(apps.map((app) => app.spec?.destination?.namespace).filter((n): n is string => !!n)),
  ].sort();
  return {
    applications: apps
      .map((app) => app.metadata?.name)
      .filter((n): n is string => !!n)
      .sort(),
    namespaces: destinations.filter((namespace) => !argocdNamespaces.has(namespace)),
    skipped: destinations
      .filter((namespace) => argocdNamespaces.has(namespace))
      .map((namespace) => ({
        namespace,
        reason:
          "ArgoCD's own namespace: its installation and the Applications, which ArgoCD writes to itself",
      })),
  };
}
