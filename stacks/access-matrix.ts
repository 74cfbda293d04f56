/**
 * THE access matrix of production: persona × request → allow or deny. One table, used three times:
 * - test/access/access-matrix.test.ts evaluates it against the RBAC objects the Pulumi program declares;
 * - `npm run rbac:export` renders it into docs/access-matrix.md;
 * - the cluster suite can send every cell to a real API server as a SubjectAccessReview
 *   (`accessExpectations()` gives `user`, `groups` and `resourceAttributes` for each).
 * A request a row does not list as allowed for a persona is expected to be denied.
 */
import {
  AccessExpectation,
  AccessMatrixRow,
  Persona,
  accessExpectations,
  renderAccessMatrix,
  serviceAccountUsername,
} from '../lib/access';
import { ClusterAccessSettings, clusterSettings, stackFileValues } from './settings';

/** The settings of the committed stack file: what `infra/cluster/` holds. */
export const settings: ClusterAccessSettings = clusterSettings(stackFileValues());

const AUTHENTICATED = 'system:authenticated';
const serviceAccountGroups = (namespace: string): string[] => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
  AUTHENTICATED,
];

/** As the API server sees each of them (for break-glass: after impersonation). */
export const personas: readonly Persona[] = [
  {
    id: 'developer',
    title: 'developer',
    user: 'dev-alice',
    groups: [settings.developersGroup, AUTHENTICATED],
  },
  { id: 'oncall', title: 'on-call', user: 'oncall-bob', groups: [settings.oncallGroup, AUTHENTICATED] },
  {
    id: 'breakGlass',
    title: 'break-glass (impersonated)',
    user: settings.breakGlassUser,
    groups: [settings.breakGlassGroup, AUTHENTICATED],
  },
  {
    id: 'argocd',
    title: 'ArgoCD controller',
    user: serviceAccountUsername(settings.argocdServiceAccount),
    groups: serviceAccountGroups(settings.argocdServiceAccount.namespace),
  },
  { id: 'outsider', title: 'other user', user: 'eve', groups: [AUTHENTICATED] },
];

const prod = settings.namespace;
const other = 'kube-system';
const EDITORS = ['breakGlass', 'argocd'];
const READERS = ['developer', 'oncall', ...EDITORS];

export const rows: readonly AccessMatrixRow[] = [
  // reading
  {
    action: 'list pods',
    request: { namespace: prod, verb: 'list', group: '', resource: 'pods' },
    allow: READERS,
  },
  {
    action: 'read pod logs',
    request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'log' },
    allow: READERS,
  },
  {
    action: 'get a deployment',
    request: { namespace: prod, verb: 'get', group: 'apps', resource: 'deployments', name: 'backend' },
    allow: READERS,
  },
  {
    action: 'list deployments',
    request: { namespace: prod, verb: 'list', group: 'apps', resource: 'deployments' },
    allow: READERS,
  },
  {
    action: 'list configmaps',
    request: { namespace: prod, verb: 'list', group: '', resource: 'configmaps' },
    allow: READERS,
  },
  {
    action: 'get a secret',
    request: { namespace: prod, verb: 'get', group: '', resource: 'secrets', name: 'app-secrets' },
    allow: ['breakGlass'],
  },
  {
    action: 'list secrets',
    request: { namespace: prod, verb: 'list', group: '', resource: 'secrets' },
    allow: ['breakGlass'],
  },
  {
    action: 'watch secrets',
    request: { namespace: prod, verb: 'watch', group: '', resource: 'secrets' },
    allow: ['breakGlass'],
  },
  // acting inside running containers
  {
    action: 'exec into a pod',
    request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
    allow: ['breakGlass'],
  },
  {
    action: 'exec into a pod (websocket GET)',
    request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'exec' },
    allow: ['breakGlass'],
  },
  {
    action: 'attach to a pod',
    request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'attach' },
    allow: ['breakGlass'],
  },
  {
    action: 'port-forward to a pod',
    request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'portforward' },
    allow: ['breakGlass'],
  },
  {
    action: 'proxy to a pod',
    request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'proxy' },
    allow: [],
  },
  {
    action: 'evict a pod',
    request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'eviction' },
    allow: ['breakGlass'],
  },
  // changing workloads
  {
    action: 'patch a deployment (image)',
    request: { namespace: prod, verb: 'patch', group: 'apps', resource: 'deployments', name: 'backend' },
    allow: EDITORS,
  },
  {
    action: 'patch a cronjob (image)',
    request: {
      namespace: prod,
      verb: 'patch',
      group: 'batch',
      resource: 'cronjobs',
      name: 'backend-cleanup',
    },
    allow: EDITORS,
  },
  {
    // break-glass may write only the kinds production runs, and production runs no StatefulSet
    action: 'patch a statefulset',
    request: { namespace: prod, verb: 'patch', group: 'apps', resource: 'statefulsets', name: 'db' },
    allow: ['argocd'],
  },
  {
    // replacing (PUT) is not how the ArgoCD-down procedure applies (kubectl apply creates or patches)
    action: 'replace a deployment (update)',
    request: { namespace: prod, verb: 'update', group: 'apps', resource: 'deployments', name: 'backend' },
    allow: ['argocd'],
  },
  {
    action: 'create a deployment',
    request: { namespace: prod, verb: 'create', group: 'apps', resource: 'deployments' },
    allow: EDITORS,
  },
  {
    action: 'delete a deployment',
    request: { namespace: prod, verb: 'delete', group: 'apps', resource: 'deployments', name: 'backend' },
    allow: EDITORS,
  },
  {
    action: 'scale a deployment',
    request: {
      namespace: prod,
      verb: 'patch',
      group: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      name: 'backend',
    },
    allow: ['breakGlass'],
  },
  {
    action: 'patch a job',
    request: { namespace: prod, verb: 'patch', group: 'batch', resource: 'jobs', name: 'migrate' },
    allow: ['argocd'],
  },
  {
    action: 'delete a stuck job',
    request: { namespace: prod, verb: 'delete', group: 'batch', resource: 'jobs', name: 'backend-cleanup-1' },
    allow: EDITORS,
  },
  {
    action: 'delete a pod',
    request: { namespace: prod, verb: 'delete', group: '', resource: 'pods', name: 'backend-0' },
    allow: EDITORS,
  },
  {
    action: 'create a pod',
    request: { namespace: prod, verb: 'create', group: '', resource: 'pods' },
    allow: ['argocd'],
  },
  {
    action: 'create a configmap',
    request: { namespace: prod, verb: 'create', group: '', resource: 'configmaps' },
    allow: EDITORS,
  },
  {
    action: 'create a service account',
    request: { namespace: prod, verb: 'create', group: '', resource: 'serviceaccounts' },
    allow: EDITORS,
  },
  {
    action: 'patch a network policy',
    request: {
      namespace: prod,
      verb: 'patch',
      group: 'networking.k8s.io',
      resource: 'networkpolicies',
      name: 'default-deny',
    },
    allow: EDITORS,
  },
  {
    action: 'update a secret',
    request: { namespace: prod, verb: 'update', group: '', resource: 'secrets', name: 'app-secrets' },
    allow: ['breakGlass'],
  },
  // access control inside production
  {
    action: 'create a rolebinding',
    request: {
      namespace: prod,
      verb: 'create',
      group: 'rbac.authorization.k8s.io',
      resource: 'rolebindings',
    },
    allow: [],
  },
  {
    action: 'mint a service-account token',
    request: {
      namespace: prod,
      verb: 'create',
      group: '',
      resource: 'serviceaccounts',
      subresource: 'token',
      name: 'backend',
    },
    allow: [],
  },
  {
    action: 'impersonate a service account',
    request: {
      namespace: prod,
      verb: 'impersonate',
      group: '',
      resource: 'serviceaccounts',
      name: 'backend',
    },
    allow: [],
  },
  {
    action: 'change the resource quota',
    request: { namespace: prod, verb: 'patch', group: '', resource: 'resourcequotas', name: 'production' },
    allow: [],
  },
  {
    action: 'escalate a role',
    request: {
      namespace: prod,
      verb: 'escalate',
      group: 'rbac.authorization.k8s.io',
      resource: 'roles',
      name: 'read-only',
    },
    allow: [],
  },
  // break-glass: impersonation, cluster-wide
  {
    action: 'impersonate the break-glass group',
    request: { verb: 'impersonate', group: '', resource: 'groups', name: settings.breakGlassGroup },
    allow: ['oncall'],
  },
  {
    action: 'impersonate the break-glass user',
    request: { verb: 'impersonate', group: '', resource: 'users', name: settings.breakGlassUser },
    allow: ['oncall'],
  },
  {
    action: 'impersonate system:masters',
    request: { verb: 'impersonate', group: '', resource: 'groups', name: 'system:masters' },
    allow: [],
  },
  {
    action: 'impersonate another user',
    request: { verb: 'impersonate', group: '', resource: 'users', name: 'kubernetes-admin' },
    allow: [],
  },
  {
    action: 'impersonate the ArgoCD controller',
    request: {
      namespace: settings.argocdServiceAccount.namespace,
      verb: 'impersonate',
      group: '',
      resource: 'serviceaccounts',
      name: settings.argocdServiceAccount.name,
    },
    allow: [],
  },
  // outside production
  {
    action: 'delete the production namespace',
    request: { verb: 'delete', group: '', resource: 'namespaces', name: prod },
    allow: [],
  },
  { action: 'create a namespace', request: { verb: 'create', group: '', resource: 'namespaces' }, allow: [] },
  {
    action: 'bind a cluster role',
    request: { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    allow: [],
  },
  {
    action: 'change an admission policy',
    request: {
      verb: 'patch',
      group: 'admissionregistration.k8s.io',
      resource: 'validatingadmissionpolicies',
      name: `${prod}-image-registry`,
    },
    allow: [],
  },
  {
    action: `list pods in ${other}`,
    request: { namespace: other, verb: 'list', group: '', resource: 'pods' },
    allow: [],
  },
  {
    action: `patch a deployment in ${other}`,
    request: { namespace: other, verb: 'patch', group: 'apps', resource: 'deployments', name: 'coredns' },
    allow: [],
  },
  {
    action: `create a pod in ${settings.argocdServiceAccount.namespace}`,
    request: {
      namespace: settings.argocdServiceAccount.namespace,
      verb: 'create',
      group: '',
      resource: 'pods',
    },
    allow: [],
  },
];

/** Every cell: persona, request, expected answer. */
export function expectations(): AccessExpectation[] {
  return accessExpectations(personas, rows);
}

/** docs/access-matrix.md (generated, so listed in .prettierignore). */
export function accessMatrixDocument(): string {
  return `<!-- Generated by \`npm run rbac:export\` from stacks/access-matrix.ts. Do not edit: change the table and re-run the export. -->

# Access matrix: who may do what in production

Each cell is what the RBAC objects declared by the Pulumi program (\`stacks/\`, exported to
\`infra/cluster/manifests/\`) answer for that persona. \`npm test\` checks every cell against those objects;
the cluster suite can ask a real API server the same questions. Break-glass is reached only by on-call
impersonating it (\`kubectl --as ${settings.breakGlassUser} --as-group ${settings.breakGlassGroup}\`), so the
audit log records both the on-call engineer and the break-glass identity. Break-glass may create, patch
and delete exactly the kinds production runs (what the ArgoCD-down runbook applies), derived from the
prod overlay. CI has no identity in the cluster: a release is a commit, which ArgoCD syncs. Admission
narrows every allowed write further: images in \`${prod}\` come from the registry with a \`sha-\` tag.

${renderAccessMatrix(personas, rows)}`;
}
