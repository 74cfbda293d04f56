import { ImageCatalog, PolicyOptions, pinnedTags } from '../lib';
import { alertSubscriptions } from './alerts';
import { ImageName, previews, production, registry, repository, shaTagLength } from './config';
import { images } from './images';

/** Everything production is checked with except the pins. */
const settings: Omit<PolicyOptions, 'catalog'> = {
  allowedRegistries: [`${registry}/`],
  shaTagLength,
  argocd: {
    repoURL: repository.url,
    revision: repository.productionBranch,
    productionNamespace: production.namespace,
    previewNamespacePrefix: previews.namespacePrefix,
    alertSubscriptions,
  },
};

/** The settings a model whose images are `catalog` is checked with: a release checks its new pins. */
export function policyOptionsFor(catalog: ImageCatalog<ImageName>): PolicyOptions {
  return { ...settings, catalog: pinnedTags(catalog) };
}

/**
 * The settings production is checked with, at synth and by `npm run policy`, with the pins of the
 * release file. The file is read when the catalog is first used, so that a bad pin file is reported by
 * the command that needs it, not thrown while modules load.
 */
export const policyOptions: PolicyOptions = {
  ...settings,
  get catalog() {
    return pinnedTags(images);
  },
};
