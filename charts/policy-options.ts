import { ImageCatalog, PolicyOptions, PolicyWaiver, pinnedTags } from '../lib';
import {
  SEALED_SECRETS_CONTROLLER,
  SEALED_SECRETS_IMAGE_REPOSITORY,
  SEALED_SECRETS_NAMESPACE,
} from '../lib/access';
import { alertSubscriptions } from './alerts';
import { registry, repository, shaTagLength } from './config';
import { EnvironmentDeclaration, IN_CLUSTER } from './environment-declaration';
import { environments as declaredEnvironments, previews, production } from './environments';
import { images } from './images';

/**
 * The findings the exceptions log (docs/policy-exceptions.md) allows, object by object. Every entry
 * names its entry there; `test/docs/policy-exceptions.test.ts` holds the two together.
 */
export const POLICY_WAIVERS: readonly PolicyWaiver[] = [
  {
    object: `Deployment ${SEALED_SECRETS_NAMESPACE}/${SEALED_SECRETS_CONTROLLER}`,
    ruleIds: ['IMG001', 'IMG002', 'IMG003', 'HARD004'],
    containerRepositories: [SEALED_SECRETS_IMAGE_REPOSITORY],
    reason:
      "#2: the Sealed Secrets controller runs upstream's image, by tag until it is mirrored and pinned by digest, and reads the API with its service-account token",
  },
];

/** Everything production is checked with except the pins, for the environments `environments`. */
function settingsFor(environments: readonly EnvironmentDeclaration[]): Omit<PolicyOptions, 'catalog'> {
  return {
    allowedRegistries: [`${registry}/`],
    shaTagLength,
    waivers: POLICY_WAIVERS,
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
