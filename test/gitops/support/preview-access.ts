/**
 * The access the previews need, as this suite decides and proves it (docs/gitops-tests.md, "Previews: who
 * creates preview-<n>"). Not generated yet: infra/cluster/ (lib/access, `npm run rbac:export`) is where it
 * belongs once adopted; until then the previews test applies it and removes it.
 *
 * ArgoCD's application controller creates `preview-<n>` itself, from the preview overlay's Namespace.
 * RBAC cannot grant `create` on namespaces by name, nor rights in namespaces that do not exist yet except
 * cluster-wide, so the ClusterRole below is cluster-wide and exactly the preview project's kinds (the
 * production project's too: in `production` it adds nothing to `gitops-sync`). What narrows it, in the API
 * server, is the ValidatingAdmissionPolicy: the controller may create, change or delete Namespaces named
 * `preview-…` only, objects in `production` and `preview-…` only, and in `argocd` only ArgoCD's own kinds
 * and events (what the release's Role lets it write there). ArgoCD's own fence (the `preview` AppProject's
 * whitelist) and the review-time rule ARGO013 come before it.
 */

import { committedIdentities } from '../../../charts/identities';
import { parseServiceAccountRef, serviceAccountUsername } from '../../../lib/access';

/** The controller's identity, from the one source of identities (charts/identities.ts). */
const controllerAccount = parseServiceAccountRef(
  committedIdentities().argocdServiceAccount,
  'argocdServiceAccount',
);
const CONTROLLER = { kind: 'ServiceAccount', ...controllerAccount };
const CONTROLLER_USER = serviceAccountUsername(controllerAccount);
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];

/** The name shared by the ClusterRole, its binding, the policy and its binding. */
export const PREVIEW_ACCESS = 'argocd-preview-sync';

/** The objects, in the order they are applied. */
export const previewAccessObjects: readonly Record<string, unknown>[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: PREVIEW_ACCESS },
    rules: [
      {
        apiGroups: [''],
        resources: ['namespaces', 'configmaps', 'services', 'serviceaccounts'],
        verbs: WRITE,
      },
      { apiGroups: [''], resources: ['pods', 'endpoints', 'events'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: WRITE },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: PREVIEW_ACCESS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PREVIEW_ACCESS },
    subjects: [CONTROLLER],
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: PREVIEW_ACCESS },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['*'],
            apiVersions: ['*'],
            resources: ['*'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
          },
        ],
      },
      matchConditions: [
        {
          name: 'argocd-application-controller',
          expression: `request.userInfo.username == '${CONTROLLER_USER}'`,
        },
      ],
      validations: [
        {
          expression:
            "request.resource.group != '' || request.resource.resource != 'namespaces' || request.name.startsWith('preview-')",
          messageExpression:
            "'ArgoCD may create, change or delete only the Namespaces of previews (preview-<number>), not ' + request.name",
        },
        {
          expression:
            "request.resource.resource == 'namespaces' || request.namespace == 'production' || request.namespace.startsWith('preview-') || (request.namespace == 'argocd' && (request.resource.group == 'argoproj.io' || request.resource.resource == 'events'))",
          messageExpression:
            "'ArgoCD may write only in production and preview-<number> (in argocd only its own objects and events), not ' + request.resource.resource + ' in ' + (request.namespace == '' ? 'the cluster scope' : request.namespace)",
        },
      ],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: PREVIEW_ACCESS },
    spec: { policyName: PREVIEW_ACCESS, validationActions: ['Deny'] },
  },
];

/** The controller's identity, for `kubectl --as`. */
export const CONTROLLER_IDENTITY = CONTROLLER_USER;
