import { PolicyOptions } from '../lib';
import { alertSubscriptions } from './alerts';
import { previews, production, registry, repository } from './config';

/** The settings production is checked with, at synth and by `npm run policy`. */
export const policyOptions: PolicyOptions = {
  allowedRegistries: [`${registry}/`],
  argocd: {
    repoURL: repository.url,
    revision: repository.productionBranch,
    productionNamespace: production.namespace,
    previewNamespacePrefix: previews.namespacePrefix,
    alertSubscriptions,
  },
};
