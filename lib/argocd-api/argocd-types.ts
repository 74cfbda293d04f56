/**
 * The fields of ArgoCD's custom resources that the constructs of lib/argocd render and the policy
 * (lib/policy) reads, as declared by the CRDs of ArgoCD v3.5.1 (`manifests/crds/` of the release): the
 * one definition of each. A deliberate subset: what is not here is neither rendered nor checked; an
 * optional field marked "read only" is one the constructs never set but the policy judges when someone
 * else does. The policy reads them as `Unchecked<T>` (./unchecked.ts). Tests validate every rendered
 * object against these CRDs and against the `@kubernetes-models/argo-cd` schemas.
 * @see https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/declarative-setup/
 */

/** API version of Application, AppProject and ApplicationSet. */
export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';

import { GroupKind } from '../manifest/api-group';

export type { GroupKind };

/** A cluster-scoped kind a project may create, optionally only with names matching a glob. */
export interface ClusterResourceRestriction extends GroupKind {
  readonly name?: string;
}

/** Resources of a destination namespace that no Application manages and that raise no warning. */
export interface OrphanedResourceKey {
  readonly group?: string;
  readonly kind?: string;
  /** Glob on the resource name. */
  readonly name?: string;
}

/** Objects a kustomize patch applies to. */
export interface KustomizePatchTarget {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
}

/** A kustomize patch (strategic merge or JSON 6902) that ArgoCD applies when rendering a source. */
export interface KustomizePatch {
  readonly patch: string;
  readonly target?: KustomizePatchTarget;
}

export interface KustomizeOptions {
  /** Namespace set on every object (and the name of every Namespace object). */
  readonly namespace?: string;
  /** Image overrides, `name:tag`. */
  readonly images?: readonly string[];
  readonly patches?: readonly KustomizePatch[];
}

export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly directory?: { readonly recurse: boolean };
  readonly kustomize?: KustomizeOptions;
}

export interface ApplicationDestination {
  readonly server: string;
  readonly namespace: string;
  /**
   * The cluster by the name ArgoCD registered it under, instead of `server`. Read only.
   * @default - the cluster is named by `server`
   */
  readonly name?: string;
}

export interface RetryStrategy {
  /** Retries after the first attempt. */
  readonly limit: number;
  readonly backoff: {
    readonly duration: string;
    readonly factor: number;
    readonly maxDuration: string;
  };
}

export interface SyncPolicy {
  readonly automated: {
    /**
     * `false` turns automated sync off while keeping its settings. Read only.
     * @default true
     */
    readonly enabled?: boolean;
    readonly prune: boolean;
    readonly selfHeal: boolean;
    readonly allowEmpty: boolean;
  };
  readonly syncOptions: readonly string[];
  readonly retry: RetryStrategy;
}

export interface ApplicationSpec {
  readonly project: string;
  readonly source: ApplicationSource;
  /**
   * Several sources, rendered together (a multi-source Application), beside or instead of `source`.
   * Read only.
   * @default - the one `source`
   */
  readonly sources?: readonly ApplicationSource[];
  readonly destination: ApplicationDestination;
  readonly syncPolicy: SyncPolicy;
}

export interface ProjectRole {
  readonly name: string;
  readonly description: string;
  /** Casbin lines, `p, proj:<project>:<role>, <resource>, <action>, <object>, allow`. */
  readonly policies: readonly string[];
}

export interface AppProjectSpec {
  readonly description: string;
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ApplicationDestination[];
  readonly clusterResourceWhitelist: readonly ClusterResourceRestriction[];
  readonly namespaceResourceWhitelist?: readonly GroupKind[];
  readonly orphanedResources: { readonly warn: boolean; readonly ignore?: readonly OrphanedResourceKey[] };
  readonly roles: readonly ProjectRole[];
}

export interface PullRequestGeneratorGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly tokenRef?: { readonly secretName: string; readonly key: string };
  readonly labels?: readonly string[];
}

export interface ApplicationSetSpec {
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  readonly generators: readonly [
    {
      readonly pullRequest: {
        readonly github: PullRequestGeneratorGitHub;
        readonly requeueAfterSeconds: number;
      };
    },
  ];
  readonly syncPolicy: { readonly applicationsSync: string; readonly preserveResourcesOnDeletion: boolean };
  readonly template: {
    readonly metadata: {
      readonly name: string;
      readonly namespace: string;
      readonly labels?: Readonly<Record<string, string>>;
      readonly finalizers: readonly string[];
    };
    readonly spec: ApplicationSpec;
  };
}
