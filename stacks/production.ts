import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  BreakGlassAccess,
  ImageAdmissionPolicy,
  ProtectedRepository,
  ReadOnlyAccess,
  RestrictedNamespace,
  SealedSecretsController,
  ArgoCdSecretsSyncAccess,
  SyncAccess,
} from '../lib/pulumi';
import { IN_CLUSTER } from '../charts/environment-declaration';
import { production } from '../charts/environments';
import {
  ClusterAccessPlanOptions,
  ClusterPlan,
  clusterAccessPlan,
  clusterAuditPolicy,
} from './cluster-access';
import { StackSettings } from './settings';

/** What `pulumi stack output` shows; the GitHub outputs are absent in cluster-only mode. */
export interface ProductionOutputs {
  readonly repository: pulumi.Output<string> | undefined;
  readonly requiredChecks: readonly string[] | undefined;
  readonly releaseBypassAppId: number | undefined;
  readonly namespaces: readonly string[];
  readonly breakGlassCommand: string;
  readonly auditPolicy: unknown;
}

/** Name of the explicit kubernetes Provider of ArgoCD's own cluster (its URN is in stacks/adopt-existing.json). */
export const CLUSTER_PROVIDER = 'production-cluster';

/**
 * The name of the kubernetes Provider of cluster `name` (as ArgoCD names it): ArgoCD's own keeps
 * `production-cluster`, whose URN every production resource refers to; another is `<name>-cluster`.
 */
export function clusterProviderName(name: string): string {
  if (name === IN_CLUSTER.name) return CLUSTER_PROVIDER;
  const provider = `${name}-cluster`;
  if (provider === CLUSTER_PROVIDER) {
    throw new Error(
      `cluster "${name}" (charts/environments.ts) would get the provider ${CLUSTER_PROVIDER}, which is ArgoCD's own cluster's: rename the cluster`,
    );
  }
  return provider;
}

/**
 * The Pulumi name of the Sealed Secrets controller of cluster `name`: `sealed-secrets` in ArgoCD's own,
 * `<name>-sealed-secrets` in another (each cluster has its own controller and keys).
 */
export function sealedSecretsComponentName(name: string): string {
  return name === IN_CLUSTER.name ? 'sealed-secrets' : `${name}-sealed-secrets`;
}

/**
 * The cluster side of one cluster through its own provider, on the admin's context for it: ArgoCD's
 * namespace where it runs, each environment's namespace, then its access and image admission; the Sealed
 * Secrets controller, whose RoleBindings in those namespaces wait for them.
 */
function declareCluster(cluster: ClusterPlan, kubeContext: string): void {
  // The admin's own kubeconfig context (KUBECONFIG, or ~/.kube/config, is read by the SDK itself):
  // never whatever context happens to be current, and never a name committed for everyone.
  const provider = new k8s.Provider(clusterProviderName(cluster.cluster.name), { context: kubeContext });
  // Every object is ours and defined here, so the program takes over the fields another field manager
  // holds (an earlier `kubectl apply --server-side -k infra/cluster/manifests`, a hand edit) instead
  // of failing on the conflict: the admission policy's atomic matchConstraints, for one, always
  // conflicts once the API server has defaulted fields inside it.
  const onCluster = { providers: [provider], takeOverFields: true };
  const argocdNamespace =
    cluster.argocdNamespace &&
    new RestrictedNamespace(`namespace-${cluster.argocdNamespace.name}`, cluster.argocdNamespace, onCluster);
  if (argocdNamespace && cluster.argocdSecretsSync) {
    new ArgoCdSecretsSyncAccess('argocd-gitops-sync', cluster.argocdSecretsSync, {
      ...onCluster,
      dependsOn: [argocdNamespace],
    });
  }
  const namespaces = cluster.environments.map(
    (plan) => new RestrictedNamespace(plan.names.namespace, plan.namespace, onCluster),
  );
  const afterNamespaces = { ...onCluster, dependsOn: namespaces };
  for (const plan of cluster.environments) {
    const { names } = plan;
    if (plan.readOnly) new ReadOnlyAccess(names.readOnly, plan.readOnly, afterNamespaces);
    if (plan.sync) new SyncAccess(names.sync, plan.sync, afterNamespaces);
    if (plan.breakGlass) new BreakGlassAccess(names.breakGlass, plan.breakGlass, afterNamespaces);
    new ImageAdmissionPolicy(names.imageAdmission, plan.imageAdmission, afterNamespaces);
  }
  new SealedSecretsController(sealedSecretsComponentName(cluster.cluster.name), cluster.sealedSecrets, {
    ...onCluster,
    servedAfter: argocdNamespace ? [argocdNamespace, ...namespaces] : namespaces,
  });
}

/**
 * Declares the protected repository (unless in cluster-only mode, `settings.github` undefined) and the
 * cluster side of every environment: one kubernetes Provider per cluster the environments name.
 * `kindsOf` (what break-glass may apply in an environment) defaults to the kinds its overlays render.
 */
export function declareProduction(
  settings: StackSettings,
  kindsOf?: ClusterAccessPlanOptions['kindsOf'],
): ProductionOutputs {
  const { github, cluster, admin } = settings;
  const repository =
    github &&
    new ProtectedRepository(github.repository, {
      name: github.repository,
      description: 'Production: the single source of truth, changed only through reviewed pull requests',
      branch: github.branch,
      requiredChecks: github.requiredChecks,
      requiredApprovals: github.requiredApprovals,
      releaseAppId: github.releaseAppId,
    });

  const plan = clusterAccessPlan(cluster, { environments: settings.environments, kindsOf });
  for (const clusterPlan of plan.clusters) {
    declareCluster(clusterPlan, admin.kubeContexts[clusterPlan.cluster.name] ?? '');
  }
  const environments = plan.clusters.flatMap((clusterPlan) => clusterPlan.environments);
  const main =
    environments.find((environment) => environment.environment === production.name) ?? environments[0];
  const breakGlass = main?.breakGlass;
  const mainCluster =
    plan.clusters.find((clusterPlan) => clusterPlan.environments.includes(main)) ?? plan.clusters[0];

  return {
    repository: repository?.repository.fullName,
    requiredChecks: github?.requiredChecks,
    releaseBypassAppId: github?.releaseAppId,
    namespaces: environments.map((environment) => environment.namespace.name),
    breakGlassCommand: breakGlass
      ? `kubectl --as ${breakGlass.user} --as-group ${breakGlass.group} -n ${breakGlass.namespace} ...`
      : 'no break-glass identity: the persona table (charts/personas.ts) declares none',
    auditPolicy: mainCluster ? clusterAuditPolicy(mainCluster) : undefined,
  };
}
