import { EnvironmentDeclaration, PreviewDeclaration } from './environment-declaration';
import { organisation } from './config';

/**
 * The production environment in ArgoCD's own cluster: the one the Pulumi program administers (its
 * namespace, RBAC and image admission) and the policy guards as production.
 */
export const production: EnvironmentDeclaration = {
  name: 'prod',
  namespace: 'production',
  domain: `${organisation}.example`,
  tlsSecretSuffix: `${organisation}-tls`,
  project: 'production',
};

/**
 * Where the catalog runs: each entry gets, for every service, an overlay and an Application
 * (docs/adding-a-service.md). A second production cluster is one more entry with its `cluster` and
 * `settings: 'prod'`.
 */
export const environments: readonly EnvironmentDeclaration[] = [production];

/** One preview per labelled pull request, deleted when it closes (docs/adr/0004-pull-request-previews.md). */
export const previews: PreviewDeclaration = {
  namespacePrefix: 'preview-',
  label: 'preview',
  domain: `preview.${organisation}.example`,
  project: 'preview',
  githubToken: { secretName: 'github-pull-requests', key: 'token' },
};
