/** A Kubernetes object as plain data: what a manifest file holds, whoever wrote it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** Settings the rules are evaluated with. */
export interface PolicyOptions {
  /**
   * Image name prefixes that production may pull from, e.g. `ghcr.io/acme/`.
   */
  readonly allowedRegistries: readonly string[];
  /**
   * Hex digits of the commit in a `sha-` tag, exactly as CI produces them (rule IMG002): the one length
   * the catalog, `npm run release` and the admission policy also use.
   */
  readonly shaTagLength: number;
  /**
   * Repository → its pinned tag: the image catalog with the release file's pins. Every container runs
   * `<repository>:<tag>` of one entry (rule IMG003).
   */
  readonly catalog: Readonly<Record<string, string>>;
  /**
   * What ArgoCD objects (rules `ARGO…`) are checked against.
   * @default - ArgoCD objects are reported as uncheckable
   */
  readonly argocd?: ArgoCdPolicyOptions;
}

/** Settings of the ArgoCD rules. */
export interface ArgoCdPolicyOptions {
  /** The one Git repository Applications and projects may deploy from, e.g. `https://github.com/acme/infra.git`. */
  readonly repoURL: string;
  /** The branch every Application (not a preview) tracks, e.g. `main`. */
  readonly revision: string;
  /** The production namespace, which previews may never target. */
  readonly productionNamespace: string;
  /** Prefix of preview namespaces, e.g. `preview-`. */
  readonly previewNamespacePrefix: string;
  /**
   * Subscriptions (`<trigger>.<service>`) every Application must carry as
   * `notifications.argoproj.io/subscribe.<trigger>.<service>` annotations.
   * @default - none required
   */
  readonly alertSubscriptions?: readonly string[];
}

/** What a rule reports about one object. */
export interface Finding {
  /** What is wrong, with the offending value. */
  readonly message: string;
}

/** One policy rule: data with a stable id, evaluated over plain objects. */
export interface PolicyRule {
  /** Stable identifier, e.g. `IMG001`. Never reused for another meaning. */
  readonly id: string;
  /** One-line statement of what the rule requires. */
  readonly title: string;
  /** How to make the object comply. */
  readonly fix: string;
  /** Returns one finding per problem in `object`; `all` is every object under evaluation. */
  readonly check: (object: KubeObject, options: PolicyOptions, all: readonly KubeObject[]) => Finding[];
}

/** A rule that an object breaks, with everything needed to find and fix it. */
export interface Violation {
  readonly ruleId: string;
  readonly title: string;
  readonly fix: string;
  readonly message: string;
  /** `Kind namespace/name` (or `Kind name` when cluster-scoped or unnamed). */
  readonly object: string;
  /** Where the object came from: a file path or a construct path. */
  readonly source?: string;
}
