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

/** Logical image name → repository. Tags come from the release file (`image-pins.json`). */
export const imageRepositories = {
  backend: `${registry}/backend`,
} as const;

export type ImageName = keyof typeof imageRepositories;

/** Hex digits of the commit in a `sha-` tag that CI produces. */
export const shaTagLength = 7;

export const production = {
  namespace: 'production',
  apiHost: 'api.robson.example',
  tlsSecretName: 'api-robson-tls',
  ingressClassName: 'nginx',
  ingressControllerNamespace: 'ingress-nginx',
} as const;
