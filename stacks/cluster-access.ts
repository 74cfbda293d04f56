import { GroupKind } from '../lib/manifest/api-group';
import {
  AuditPolicyDocument,
  AuditPolicyProps,
  BreakGlassAccessProps,
  ImageAdmissionPolicyProps,
  ReadOnlyAccessProps,
  RestrictedNamespaceProps,
  SyncAccessProps,
  auditPolicyDocument,
  breakGlassAccessObjects,
  imageAdmissionPolicyObjects,
  readOnlyAccessObjects,
  restrictedNamespaceObject,
  syncAccessObjects,
} from '../lib/access';
import { KubeObject } from '../lib/manifest/kube-object';
import { productionKinds } from './production-kinds';
import { ClusterAccessSettings } from './settings';

/** The props of every cluster component: the Pulumi program and the YAML export both start from these. */
export interface ClusterAccessPlan {
  /** The namespaces the cluster administrators create (ArgoCD never does): production. */
  readonly namespaces: readonly RestrictedNamespaceProps[];
  readonly readOnly: ReadOnlyAccessProps;
  readonly sync: SyncAccessProps;
  readonly breakGlass: BreakGlassAccessProps;
  readonly imageAdmission: ImageAdmissionPolicyProps;
  readonly audit: AuditPolicyProps;
}

/**
 * Who may do what, from the settings. Break-glass may apply exactly `applyKinds`, the kinds production
 * runs (the ArgoCD-down procedure applies the rendered prod overlay with it).
 */
export function clusterAccessPlan(
  settings: ClusterAccessSettings,
  applyKinds: readonly GroupKind[] = productionKinds(),
): ClusterAccessPlan {
  const namespace = settings.namespace;
  return {
    namespaces: [{ name: namespace }],
    readOnly: { namespace, groups: [settings.developersGroup, settings.oncallGroup] },
    sync: { namespace, serviceAccount: settings.argocdServiceAccount },
    breakGlass: {
      namespace,
      requesterGroups: [settings.oncallGroup],
      group: settings.breakGlassGroup,
      user: settings.breakGlassUser,
      applyKinds,
    },
    imageAdmission: {
      namespace,
      allowedRepositoryPrefix: settings.allowedRepositoryPrefix,
      shaTagLength: settings.shaTagLength,
    },
    audit: { namespaces: [namespace], privilegedGroups: [settings.oncallGroup, settings.breakGlassGroup] },
  };
}

/** Every Kubernetes object the program applies, in the order it declares them. */
export function clusterObjects(plan: ClusterAccessPlan): KubeObject[] {
  return [
    ...plan.namespaces.map(restrictedNamespaceObject),
    ...readOnlyAccessObjects(plan.readOnly),
    ...syncAccessObjects(plan.sync),
    ...breakGlassAccessObjects(plan.breakGlass),
    ...imageAdmissionPolicyObjects(plan.imageAdmission),
  ];
}

/** The API server's audit policy: a file for `--audit-policy-file`, not an object Pulumi applies. */
export function clusterAuditPolicy(plan: ClusterAccessPlan): AuditPolicyDocument {
  return auditPolicyDocument(plan.audit);
}
