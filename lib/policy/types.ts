import { KubeObject } from '../manifest/kube-object';
import { RuleIdentity } from '../rule/rule-identity';

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
  /**
   * Rules that do not apply to one object, each entry of the exceptions log (docs/policy-exceptions.md)
   * that allows it: the one place a finding is waived. An object is named as reports name it
   * (`Deployment sealed-secrets/sealed-secrets-controller`); nothing in a manifest can waive a rule.
   * @default - none
   */
  readonly waivers?: readonly PolicyWaiver[];
  /**
   * The API the schema rules (API001, API002, SCH001, SCH002) check objects against.
   * @default - the schema rules find nothing: synth builds typed objects, the CLI loads the schemas
   */
  readonly schemas?: ApiSchemaCatalog;
}

/** What the schema rules ask of the API (lib/policy/api-schemas.ts implements it). */
export interface ApiSchemaCatalog {
  /** Problems of `object` against the API: its version, then every field its schema does not accept. */
  problemsOf(object: KubeObject): readonly SchemaProblem[];
}

/** One thing the API would refuse or warn about, and where. */
export interface SchemaProblem {
  readonly kind: 'removed' | 'deprecated' | 'unknown-field' | 'wrong-type';
  readonly message: string;
  readonly path: readonly (string | number)[];
}

/** Rules one object is excused from, and the entry of the exceptions log that says why. */
export interface PolicyWaiver {
  /** `Kind namespace/name` (`Kind name` when cluster-scoped), as a violation names its object. */
  readonly object: string;
  /** The rules it is excused from. */
  readonly ruleIds: readonly string[];
  /**
   * The repositories of the object's containers, in order, init containers included (images without
   * their tag or digest). The waiver holds only while the object runs exactly these: another image, a
   * sidecar or an init container brings every waived finding back.
   */
  readonly containerRepositories: readonly string[];
  /** The entry of docs/policy-exceptions.md that allows it, e.g. `#2`, and why, in a few words. */
  readonly reason: string;
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
  /**
   * API server URLs of clusters registered with ArgoCD that Applications and projects may deploy to,
   * besides the cluster ArgoCD runs in (a second production cluster).
   * @default - none: ArgoCD's own cluster only
   */
  readonly registeredClusters?: readonly string[];
}

/** What a rule reports about one object. */
export interface Finding {
  /** What is wrong, with the offending value. */
  readonly message: string;
  /**
   * Where in the object, e.g. `['spec', 'template', 'spec', 'containers', 0, 'image']`: file positions
   * (SARIF) point there.
   * @default - the object itself
   */
  readonly path?: readonly (string | number)[];
}

/** What the reader of a file learnt about an object beyond its fields. */
export interface ObjectOrigin {
  /** Paths of the YAML merge keys (`<<`) the object's document uses (rule YAML001). */
  readonly mergeKeys?: readonly (readonly (string | number)[])[];
  /**
   * The kustomization that sets the object's namespace, for an object of a kustomize base (rule META001).
   * @default - none: the object must name its namespace
   */
  readonly namespacedBy?: string;
}

/**
 * One policy rule: data with a stable id (its `RuleIdentity`: id, title and the fix for the object),
 * evaluated over plain objects.
 */
export interface PolicyRule extends RuleIdentity {
  /**
   * Set by a rule that compares an object with others: the objects it needs to see together. An
   * evaluation split over threads runs such a rule once, over all the objects this selects.
   * @default - the rule judges each object alone (`all` unused)
   */
  readonly comparesAcross?: (object: KubeObject) => boolean;
  /**
   * Returns one finding per problem in `object`; `all` is every object under evaluation (the same array
   * for every call of one evaluation, so a rule may index it once), `origin` what the reader learnt.
   */
  readonly check: (
    object: KubeObject,
    options: PolicyOptions,
    all: readonly KubeObject[],
    origin?: ObjectOrigin,
  ) => Finding[];
}

/** A rule that an object breaks, with everything needed to find and fix it. */
export interface Violation {
  readonly ruleId: string;
  readonly title: string;
  readonly fix: string;
  readonly message: string;
  /** `Kind namespace/name` (or `Kind name` when cluster-scoped or unnamed). */
  readonly object: string;
  /** Where the object came from: `file:line`, or a construct path. */
  readonly source?: string;
  /** Where in the object (see `Finding.path`). @default - the object itself */
  readonly path?: readonly (string | number)[];
}
