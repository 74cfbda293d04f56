import { CatalogEntry } from '../lib/image-catalog';
import { ImageSource } from '../lib/image-source';

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
 * The image catalog: every image production runs, the repository it is pushed to, and where its source
 * lives, which decides how a release of it starts (docs/release.md). Tags come from the release file
 * (`image-pins.json`), never from here.
 */
export const imageCatalog = {
  backend: {
    repository: `${registry}/backend`,
    // Not in this repository: its own CI builds the image and dispatches the release here.
    source: ImageSource.externalRepository(`${organisation}/backend`),
  },
} as const satisfies Readonly<Record<string, CatalogEntry>>;

export type ImageName = keyof typeof imageCatalog;

/**
 * The `repository_dispatch` event type another repository sends (payload `{ image, commit }`) to have
 * this repository release an image it built: `.github/workflows/release.yml` listens for it.
 */
export const releaseDispatchEvent = 'release-image';

const catalogNames = Object.keys(imageCatalog) as ImageName[];
const byName = <T>(pick: (entry: CatalogEntry) => T): Readonly<Record<ImageName, T>> =>
  Object.fromEntries(catalogNames.map((name) => [name, pick(imageCatalog[name])])) as Record<ImageName, T>;

/** Logical image name → repository. */
export const imageRepositories = byName((entry) => entry.repository);

/** Logical image name → where its source lives. */
export const imageSources = byName((entry) => entry.source);

/**
 * Hex digits of the commit in a `sha-` tag that CI produces: the one length the catalog, the policy
 * (IMG002), `npm run release` and the cluster's image admission policy check.
 */
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

/** One environment per labelled pull request, deleted when it closes (docs/adr/0004-pull-request-previews.md). */
export const previews = {
  namespacePrefix: 'preview-',
  /** Only pull requests with this label get a preview: labels need triage access to the repository. */
  label: 'preview',
  /** Preview `<n>` serves `<first label of the production host>-pr-<n>.<hostSuffix>`. */
  hostSuffix: 'preview.robson.example',
  /** Secret (in ArgoCD's namespace, created outside Git) with a token that may list pull requests. */
  githubToken: { secretName: 'github-pull-requests', key: 'token' },
} as const;
