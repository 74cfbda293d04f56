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

/** ArgoCD: where it runs, who may do what in it, where it alerts. */
export const argocd = {
  namespace: 'argocd',
  /** Slack channel (without `#`) the alerts go to. */
  alertChannel: 'infra-alerts',
  /** GitHub teams, as Dex reports them in the `groups` claim (`<org>:<team>`). */
  developerGroups: [`${organisation}:developers`],
  onCallGroups: [`${organisation}:oncall`],
} as const;

/** One environment per labelled pull request, deleted when it closes (ADR-0004). */
export const previews = {
  namespacePrefix: 'preview-',
  /** Only pull requests with this label get a preview: labels need triage access to the repository. */
  label: 'preview',
  /** Preview `<n>` serves `<first label of the production host>-pr-<n>.<hostSuffix>`. */
  hostSuffix: 'preview.robson.example',
  /** Secret (in ArgoCD's namespace, created outside Git) with a token that may list pull requests. */
  githubToken: { secretName: 'github-pull-requests', key: 'token' },
} as const;
