import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  BreakGlassAccess,
  ImageAdmissionPolicy,
  ProtectedRepository,
  ReadOnlyAccess,
  RestrictedNamespace,
  SyncAccess,
} from '../lib/pulumi';
import { clusterAccessPlan, clusterAuditPolicy } from './cluster-access';
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

/** Name of the explicit kubernetes Provider (its URN is in stacks/adopt-existing.json). */
export const CLUSTER_PROVIDER = 'production-cluster';

/**
 * Declares the protected repository (unless in cluster-only mode, `settings.github` undefined) and the
 * cluster access of production.
 */
export function declareProduction(settings: StackSettings): ProductionOutputs {
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

  // The admin's own kubeconfig context (KUBECONFIG, or ~/.kube/config, is read by the SDK itself):
  // never whatever context happens to be current, and never a name committed for everyone.
  const provider = new k8s.Provider(CLUSTER_PROVIDER, { context: admin.kubeContext });
  // Every object is ours and defined here, so the program takes over the fields another field manager
  // holds (an earlier `kubectl apply --server-side -k infra/cluster/manifests`, a hand edit) instead
  // of failing on the conflict: the admission policy's atomic matchConstraints, for one, always
  // conflicts once the API server has defaulted fields inside it.
  const onCluster = { providers: [provider], takeOverFields: true };
  const plan = clusterAccessPlan(cluster);
  const namespaces = plan.namespaces.map(
    (props) => new RestrictedNamespace(`namespace-${props.name}`, props, onCluster),
  );
  const afterNamespaces = { ...onCluster, dependsOn: namespaces };
  new ReadOnlyAccess('read-only', plan.readOnly, afterNamespaces);
  new SyncAccess('gitops-sync', plan.sync, afterNamespaces);
  new BreakGlassAccess('break-glass', plan.breakGlass, afterNamespaces);
  new ImageAdmissionPolicy('image-admission', plan.imageAdmission, afterNamespaces);

  return {
    repository: repository?.repository.fullName,
    requiredChecks: github?.requiredChecks,
    releaseBypassAppId: github?.releaseAppId,
    namespaces: plan.namespaces.map((props) => props.name),
    breakGlassCommand: `kubectl --as ${plan.breakGlass.user} --as-group ${plan.breakGlass.group} -n ${plan.breakGlass.namespace} ...`,
    auditPolicy: clusterAuditPolicy(plan),
  };
}
