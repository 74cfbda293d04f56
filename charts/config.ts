/** Who we are and where things live: the one place these names are written. */
export const organisation = 'robson';

/** This repository: the only source ArgoCD may deploy production from. */
export const repository = {
  owner: organisation,
  name: 'production-infra',
  url: `https://github.com/${organisation}/production-infra.git`,
  /** The branch production tracks. */
  productionBranch: 'main',
} as const;

/** Images are built by CI and pushed only here. */
export const registry = `ghcr.io/${organisation}`;

/**
 * The `repository_dispatch` event type another repository sends (payload `{ image, commit }`) to have
 * this repository release an image it built: `.github/workflows/release.yml` listens for it.
 */
export const releaseDispatchEvent = 'release-image';

/**
 * Hex digits of the commit in a `sha-` tag that CI produces: the one length the catalog, the policy
 * (IMG002), `npm run release` and the cluster's image admission policy check.
 */
export const shaTagLength = 7;

/** The Ingress controller of every cluster we deploy to: its class, and its namespace (the only source of public traffic). */
export const ingressController = { className: 'nginx', namespace: 'ingress-nginx' } as const;

/** ArgoCD: where it runs and where it alerts; who may do what in it comes from charts/identities.ts. */
export const argocd = {
  namespace: 'argocd',
  /** Slack channel (without `#`) the alerts go to. */
  alertChannel: 'infra-alerts',
} as const;
