import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../lib';

/** A cluster ArgoCD deploys to. */
export interface DestinationCluster {
  /** Name of the cluster in ArgoCD (its cluster secret), e.g. `in-cluster`. */
  readonly name: string;
  /** API server URL ArgoCD knows the cluster by. */
  readonly server: string;
}

/** The cluster ArgoCD runs in: the destination when an environment names none. */
export const IN_CLUSTER: DestinationCluster = { name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER };

/**
 * One deployed environment: every service of the catalog gets an overlay and an ArgoCD Application for
 * it, named `<organisation>-<service>-<name>`.
 */
export interface EnvironmentDeclaration {
  /** Short name: the overlay folder (`infra/k8s/<service>/overlays/<name>`) and the Applications' suffix. */
  readonly name: string;
  /** Namespace every service of the environment runs in. */
  readonly namespace: string;
  /** Domain of the public hosts: a service with ingress label `api` serves `api.<domain>`. */
  readonly domain: string;
  /**
   * The TLS certificate of host `<label>.<domain>` is the Secret `<label>-<tlsSecretSuffix>`, sealed in
   * Git like a service's secrets (`npm run seal -- <service> tls tls.crt|tls.key`).
   */
  readonly tlsSecretSuffix: string;
  /**
   * Cluster the environment runs in; a cluster other than ArgoCD's own must be registered with ArgoCD.
   * @default IN_CLUSTER
   */
  readonly cluster?: DestinationCluster;
  /** ArgoCD project of the environment's Applications; environments may share one. */
  readonly project: string;
  /**
   * The settings entry each service runs with here (a second production cluster says `prod`).
   * @default - the environment's name
   */
  readonly settings?: string;
}

/** Pull-request previews: one namespace per labelled pull request, running the base of every service. */
export interface PreviewDeclaration {
  /** Preview `<n>` runs in namespace `<namespacePrefix><n>`. */
  readonly namespacePrefix: string;
  /** Only pull requests with this label get a preview: labels need triage access to the repository. */
  readonly label: string;
  /** Preview `<n>` serves `<ingress label>-pr-<n>.<domain>`. */
  readonly domain: string;
  /** ArgoCD project of the previews. */
  readonly project: string;
  /** Secret (in ArgoCD's namespace, sealed in Git: charts/argocd-secrets.ts) with a token that may list pull requests. */
  readonly githubToken: { readonly secretName: string; readonly key: string };
}
