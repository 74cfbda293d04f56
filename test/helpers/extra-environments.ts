import { EnvironmentDeclaration } from '../../charts/environment-declaration';

/** A second production cluster, in another region: the one declaration the issue asks for. */
export const prodEu: EnvironmentDeclaration = {
  name: 'prod-eu',
  namespace: 'production',
  domain: 'eu.robson.example',
  tlsSecretSuffix: 'eu-robson-tls',
  cluster: { name: 'prod-eu', server: 'https://prod-eu.k8s.robson.example:6443' },
  project: 'production',
  settings: 'prod',
};

/** And a staging environment in ArgoCD's own cluster, with a project of its own. */
export const staging: EnvironmentDeclaration = {
  name: 'staging',
  namespace: 'staging',
  domain: 'staging.robson.example',
  tlsSecretSuffix: 'staging-robson-tls',
  project: 'staging',
  settings: 'prod',
};
