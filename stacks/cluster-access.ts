import { GroupKind } from '../lib/manifest/api-group';
import {
  AuditPolicyDocument,
  AuditPolicyProps,
  BreakGlassAccessProps,
  ImageAdmissionPolicyProps,
  ReadOnlyAccessProps,
  RestrictedNamespaceProps,
  SealedSecretsControllerProps,
  ServiceAccountRef,
  SyncAccessProps,
  argocdSecretsSyncObjects,
  auditPolicyDocument,
  breakGlassAccessObjects,
  imageAdmissionPolicyObjects,
  readOnlyAccessObjects,
  restrictedNamespaceObject,
  sealedSecretsControllerObjects,
  sealedSecretsObjectList,
  syncAccessObjects,
} from '../lib/access';
import { KubeObject } from '../lib/manifest/kube-object';
import { DestinationCluster, EnvironmentDeclaration, IN_CLUSTER } from '../charts/environment-declaration';
import { argocd } from '../charts/config';
import { environments as declaredEnvironments, production } from '../charts/environments';
import { EnvironmentGrant } from '../charts/persona-declaration';
import { environmentKinds } from './production-kinds';
import { SealedSecretsRelease, pinnedSealedSecretsRelease } from './sealed-secrets';
import { ClusterAccessSettings } from './settings';

/**
 * Pulumi names of an environment's components. They are part of each resource's URN: production keeps
 * the names its resources were created with (stacks/adopt-existing.json, the state of stack `prod`);
 * every other environment's carry its name first (`staging-read-only`).
 */
export interface EnvironmentComponentNames {
  readonly namespace: string;
  readonly readOnly: string;
  readonly sync: string;
  readonly breakGlass: string;
  readonly imageAdmission: string;
}

/** The cluster side of one environment: its namespace, who may do what in it, and its image admission. */
export interface EnvironmentAccessPlan {
  /** The environment's name in charts/environments.ts. */
  readonly environment: string;
  readonly names: EnvironmentComponentNames;
  /** The namespace, which the cluster administrators create (ArgoCD never does). */
  readonly namespace: RestrictedNamespaceProps;
  /** Absent when no persona reads the environment. */
  readonly readOnly?: ReadOnlyAccessProps;
  /** Absent when no persona syncs the environment. */
  readonly sync?: SyncAccessProps;
  /** Absent when the persona table has no break-glass identity. */
  readonly breakGlass?: BreakGlassAccessProps;
  readonly imageAdmission: ImageAdmissionPolicyProps;
}

/**
 * What one cluster gets: the environments it runs, its API server's audit policy, and its own Sealed
 * Secrets controller (its own sealing keys), which unseals in those environments' namespaces, and in
 * ArgoCD's where ArgoCD runs (its own Secrets, charts/argocd-secrets.ts).
 */
export interface ClusterPlan {
  readonly cluster: DestinationCluster;
  readonly environments: readonly EnvironmentAccessPlan[];
  readonly audit: AuditPolicyProps;
  readonly sealedSecrets: SealedSecretsControllerProps;
  /**
   * ArgoCD's namespace, in the cluster ArgoCD runs in: enforcing Pod Security restricted (ArgoCD's
   * released install meets it), and there before the controller's RoleBinding that unseals ArgoCD's Secrets.
   */
  readonly argocdNamespace?: RestrictedNamespaceProps;
  /** There, ArgoCD's right to sync its own Secrets, sealed, into that namespace (`root` does). */
  readonly argocdSecretsSync?: SyncAccessProps;
}

/** The props of every cluster component: the Pulumi program and the YAML export both start from these. */
export interface ClusterAccessPlan {
  /** One entry per cluster the environments name, ArgoCD's own first when an environment runs there. */
  readonly clusters: readonly ClusterPlan[];
}

/** What the plan is computed for. */
export interface ClusterAccessPlanOptions {
  /**
   * The deployed environments.
   * @default - charts/environments.ts
   */
  readonly environments?: readonly EnvironmentDeclaration[];
  /**
   * The kinds an environment runs: what break-glass may apply there.
   * @default - the kinds its overlays render (stacks/production-kinds.ts)
   */
  readonly kindsOf?: (environment: EnvironmentDeclaration) => readonly GroupKind[];
  /**
   * The Sealed Secrets release every cluster's controller runs.
   * @default - the one pinned in tools/sealed-secrets/
   */
  readonly sealedSecrets?: SealedSecretsRelease;
}

/** The Pulumi names of `environment`'s components (see `EnvironmentComponentNames`). */
export function componentNames(environment: EnvironmentDeclaration): EnvironmentComponentNames {
  if (environment.name === production.name) {
    return {
      namespace: `namespace-${environment.namespace}`,
      readOnly: 'read-only',
      sync: 'gitops-sync',
      breakGlass: 'break-glass',
      imageAdmission: 'image-admission',
    };
  }
  const prefix = environment.name;
  return {
    namespace: `${prefix}-namespace`,
    readOnly: `${prefix}-read-only`,
    sync: `${prefix}-gitops-sync`,
    breakGlass: `${prefix}-break-glass`,
    imageAdmission: `${prefix}-image-admission`,
  };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** At most one of `values`, or an error naming `what`, the environment and the personas' table. */
function single<T>(values: readonly T[], what: string, environment: string): T | undefined {
  if (values.length > 1) {
    throw new Error(
      `environment "${environment}": ${values.length} personas declare ${what} (charts/personas.ts); an environment has one, so keep it in one row`,
    );
  }
  return values[0];
}

/** The cluster side of one environment, from what each persona's access function grants there. */
function environmentPlan(
  settings: ClusterAccessSettings,
  environment: EnvironmentDeclaration,
  kindsOf: (environment: EnvironmentDeclaration) => readonly GroupKind[],
): { readonly plan: EnvironmentAccessPlan; readonly auditedGroups: readonly string[] } {
  const grants: EnvironmentGrant[] = settings.personas.map(
    (persona) => persona.access?.(settings.identities, environment) ?? {},
  );
  const namespace = environment.namespace;
  const readers = unique(grants.flatMap((grant) => grant.readers ?? []));
  const requesters = unique(grants.flatMap((grant) => grant.breakGlassRequesters ?? []));
  const syncer: ServiceAccountRef | undefined = single(
    grants.flatMap((grant) => (grant.syncer ? [grant.syncer] : [])),
    'a GitOps controller (syncer)',
    environment.name,
  );
  const identity = single(
    grants.flatMap((grant) => (grant.breakGlassIdentity ? [grant.breakGlassIdentity] : [])),
    'a break-glass identity',
    environment.name,
  );
  if (requesters.length > 0 && identity === undefined) {
    throw new Error(
      `environment "${environment.name}": ${requesters.join(', ')} may request break-glass, but no persona is the break-glass identity (breakGlassIdentity in charts/personas.ts)`,
    );
  }
  const plan: EnvironmentAccessPlan = {
    environment: environment.name,
    names: componentNames(environment),
    namespace: { name: namespace },
    ...(readers.length > 0 ? { readOnly: { namespace, groups: readers } } : {}),
    ...(syncer ? { sync: { namespace, serviceAccount: syncer } } : {}),
    ...(identity
      ? {
          breakGlass: {
            namespace,
            requesterGroups: requesters,
            group: identity.group,
            user: identity.user,
            applyKinds: kindsOf(environment),
          },
        }
      : {}),
    imageAdmission: {
      namespace,
      allowedRepositoryPrefix: settings.allowedRepositoryPrefix,
      shaTagLength: settings.shaTagLength,
    },
  };
  return { plan, auditedGroups: grants.flatMap((grant) => grant.auditedGroups ?? []) };
}

/**
 * Who may do what, where: for every environment of `options.environments`, its namespace, read-only
 * access, GitOps sync access, break-glass (which may apply exactly the kinds the environment runs, what
 * the ArgoCD-down procedure applies) and image admission, from the persona table's access functions;
 * grouped per cluster (an environment that names none runs in ArgoCD's own), each cluster with the audit
 * policy of its environments. Two environments in one namespace of one cluster, or one cluster name with
 * two API servers, throw.
 */
export function clusterAccessPlan(
  settings: ClusterAccessSettings,
  options: ClusterAccessPlanOptions = {},
): ClusterAccessPlan {
  const environments = options.environments ?? declaredEnvironments;
  const kindsOf = options.kindsOf ?? ((environment) => environmentKinds(environment.name));
  const byCluster = new Map<
    string,
    { cluster: DestinationCluster; environments: EnvironmentDeclaration[] }
  >();
  for (const environment of environments) {
    const cluster = environment.cluster ?? IN_CLUSTER;
    const entry = byCluster.get(cluster.name);
    if (entry === undefined) {
      byCluster.set(cluster.name, { cluster, environments: [environment] });
      continue;
    }
    if (entry.cluster.server !== cluster.server) {
      throw new Error(
        `cluster "${cluster.name}" has two API servers in charts/environments.ts (${entry.cluster.server} and ${cluster.server}): one name is one cluster, so give the environments one server or two names`,
      );
    }
    const sharing = entry.environments.find((other) => other.namespace === environment.namespace);
    if (sharing) {
      throw new Error(
        `environments "${sharing.name}" and "${environment.name}" both run in namespace "${environment.namespace}" of cluster "${cluster.name}": their access and admission objects would be one, so give each its own namespace in charts/environments.ts`,
      );
    }
    entry.environments.push(environment);
  }
  const release = options.sealedSecrets ?? pinnedSealedSecretsRelease();
  const clusters = [...byCluster.values()].map(({ cluster, environments: ofCluster }): ClusterPlan => {
    const planned = ofCluster.map((environment) => environmentPlan(settings, environment, kindsOf));
    const namespaces = planned.map(({ plan }) => plan.namespace.name);
    const runsArgoCd = cluster.name === IN_CLUSTER.name;
    return {
      cluster,
      environments: planned.map(({ plan }) => plan),
      audit: {
        namespaces,
        privilegedGroups: unique(planned.flatMap(({ auditedGroups }) => auditedGroups)),
      },
      sealedSecrets: {
        servedNamespaces: runsArgoCd ? [...namespaces, argocd.namespace] : namespaces,
        customResourceDefinition: release.customResourceDefinition,
        image: release.image,
      },
      ...(runsArgoCd ? argocdPlan(planned.map(({ plan }) => plan)) : {}),
    };
  });
  return { clusters };
}

/** ArgoCD's namespace, and its right to sync its own sealed Secrets there, as the environments' syncer. */
function argocdPlan(
  environments: readonly EnvironmentAccessPlan[],
): Pick<ClusterPlan, 'argocdNamespace' | 'argocdSecretsSync'> {
  const syncer = environments.find((plan) => plan.sync)?.sync?.serviceAccount;
  return {
    argocdNamespace: { name: argocd.namespace },
    ...(syncer ? { argocdSecretsSync: { namespace: argocd.namespace, serviceAccount: syncer } } : {}),
  };
}

/** ArgoCD's objects of its cluster: its namespace, then its right to sync its sealed Secrets there. */
export function argocdObjects(cluster: ClusterPlan): KubeObject[] {
  return [
    ...(cluster.argocdNamespace ? [restrictedNamespaceObject(cluster.argocdNamespace)] : []),
    ...(cluster.argocdSecretsSync ? argocdSecretsSyncObjects(cluster.argocdSecretsSync) : []),
  ];
}

/** The plan of the cluster named `name`; throws, naming the clusters there are, when none is. */
export function clusterPlanOf(plan: ClusterAccessPlan, name: string = IN_CLUSTER.name): ClusterPlan {
  const found = plan.clusters.find((cluster) => cluster.cluster.name === name);
  if (!found) {
    throw new Error(
      `no environment of charts/environments.ts runs in cluster "${name}"; the plan has ${plan.clusters.map((c) => `"${c.cluster.name}"`).join(', ') || 'no cluster'}`,
    );
  }
  return found;
}

/** The Kubernetes objects of one environment, in the order the program declares them. */
export function environmentObjects(plan: EnvironmentAccessPlan): KubeObject[] {
  return [
    restrictedNamespaceObject(plan.namespace),
    ...(plan.readOnly ? readOnlyAccessObjects(plan.readOnly) : []),
    ...(plan.sync ? syncAccessObjects(plan.sync) : []),
    ...(plan.breakGlass ? breakGlassAccessObjects(plan.breakGlass) : []),
    ...imageAdmissionPolicyObjects(plan.imageAdmission),
  ];
}

/**
 * The Kubernetes objects the program applies to one cluster (ArgoCD's where it runs, then each
 * environment's namespace, access and admission), in the order it declares them; the Sealed Secrets controller's are `sealedSecretsObjectsOf`.
 */
export function clusterObjects(cluster: ClusterPlan): KubeObject[] {
  return [...argocdObjects(cluster), ...cluster.environments.flatMap(environmentObjects)];
}

/** The Sealed Secrets controller's objects of one cluster, in the order the program declares them. */
export function sealedSecretsObjectsOf(cluster: ClusterPlan): KubeObject[] {
  return sealedSecretsObjectList(sealedSecretsControllerObjects(cluster.sealedSecrets));
}

/** The API server's audit policy of one cluster: a file for `--audit-policy-file`, not an object Pulumi applies. */
export function clusterAuditPolicy(cluster: ClusterPlan): AuditPolicyDocument {
  return auditPolicyDocument(cluster.audit);
}
