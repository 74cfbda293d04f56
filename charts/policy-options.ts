import { ImageCatalog, PolicyOptions, pinnedTags } from '../lib';
import { alertSubscriptions } from './alerts';
import { registry, repository, shaTagLength } from './config';
import { EnvironmentDeclaration, IN_CLUSTER } from './environment-declaration';
import { environments as declaredEnvironments, previews, production } from './environments';
import { images } from './images';

/** Everything production is checked with except the pins, for the environments `environments`. */
function settingsFor(environments: readonly EnvironmentDeclaration[]): Omit<PolicyOptions, 'catalog'> {
  return {
    allowedRegistries: [`${registry}/`],
    shaTagLength,
    argocd: {
      repoURL: repository.url,
      revision: repository.productionBranch,
      productionNamespace: production.namespace,
      previewNamespacePrefix: previews.namespacePrefix,
      alertSubscriptions,
      registeredClusters: environments
        .map((environment) => environment.cluster?.server ?? IN_CLUSTER.server)
        .filter((server) => server !== IN_CLUSTER.server),
    },
  };
}

/** The settings a model whose images are `catalog` is checked with: a release checks its new pins. */
export function policyOptionsFor(
  catalog: ImageCatalog<string>,
  environments: readonly EnvironmentDeclaration[] = declaredEnvironments,
): PolicyOptions {
  return { ...settingsFor(environments), catalog: pinnedTags(catalog) };
}

/**
 * The settings production is checked with, at synth and by `npm run policy`, with the pins of the
 * release file. The file is read when the catalog is first used, so that a bad pin file is reported by
 * the command that needs it, not thrown while modules load.
 */
export const policyOptions: PolicyOptions = {
  ...settingsFor(declaredEnvironments),
  get catalog() {
    return pinnedTags(images);
  },
};
