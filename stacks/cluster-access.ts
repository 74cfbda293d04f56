import {
  AuditPolicyDocument,
  AuditPolicyProps,
  BreakGlassAccessProps,
  ImageAdmissionPolicyProps,
  ImageUpdaterAccessProps,
  ReadOnlyAccessProps,
  RestrictedNamespaceProps,
  SyncAccessProps,
  auditPolicyDocument,
  breakGlassAccessObjects,
  imageAdmissionPolicyObjects,
  imageUpdaterAccessObjects,
  readOnlyAccessObjects,
  restrictedNamespaceObject,
  syncAccessObjects,
} from '../lib/access';
import { KubeObject } from '../lib/policy/types';
import { ClusterAccessSettings } from './settings';

/** The props of every cluster component: the Pulumi program and the YAML export both start from these. */
export interface ClusterAccessPlan {
  /** `production` first, then the CI account's namespace. */
  readonly namespaces: readonly RestrictedNamespaceProps[];
  readonly readOnly: ReadOnlyAccessProps;
  readonly imageUpdater: ImageUpdaterAccessProps;
  readonly sync: SyncAccessProps;
  readonly breakGlass: BreakGlassAccessProps;
  readonly imageAdmission: ImageAdmissionPolicyProps;
  readonly audit: AuditPolicyProps;
}

export function clusterAccessPlan(settings: ClusterAccessSettings): ClusterAccessPlan {
  const namespace = settings.namespace;
  return {
    namespaces: [{ name: namespace }, { name: settings.ciServiceAccount.namespace }],
    readOnly: { namespace, groups: [settings.developersGroup, settings.oncallGroup] },
    imageUpdater: { namespace, serviceAccount: settings.ciServiceAccount },
    sync: { namespace, serviceAccount: settings.argocdServiceAccount },
    breakGlass: {
      namespace,
      requesterGroups: [settings.oncallGroup],
      group: settings.breakGlassGroup,
      user: settings.breakGlassUser,
    },
    imageAdmission: { namespace, allowedRepositoryPrefix: settings.allowedRepositoryPrefix },
    audit: { namespaces: [namespace], privilegedGroups: [settings.oncallGroup, settings.breakGlassGroup] },
  };
}

/** Every Kubernetes object the program applies, in the order it declares them. */
export function clusterObjects(plan: ClusterAccessPlan): KubeObject[] {
  return [
    ...plan.namespaces.map(restrictedNamespaceObject),
    ...readOnlyAccessObjects(plan.readOnly),
    ...imageUpdaterAccessObjects(plan.imageUpdater),
    ...syncAccessObjects(plan.sync),
    ...breakGlassAccessObjects(plan.breakGlass),
    ...imageAdmissionPolicyObjects(plan.imageAdmission),
  ];
}

/** The API server's audit policy: a file for `--audit-policy-file`, not an object Pulumi applies. */
export function clusterAuditPolicy(plan: ClusterAccessPlan): AuditPolicyDocument {
  return auditPolicyDocument(plan.audit);
}
