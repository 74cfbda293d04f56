/**
 * THE access matrix of production: persona × request → allow or deny. The personas and what each may
 * do come from the persona table (charts/personas.ts); the questions are here. Used three times:
 * - test/stacks/access-matrix.test.ts evaluates it against the RBAC objects the Pulumi program declares;
 * - `npm run rbac:export` renders it into docs/access-matrix.md;
 * - the cluster suite can send every cell to a real API server as a SubjectAccessReview
 *   (`accessExpectations()` gives `user`, `groups` and `resourceAttributes` for each).
 * A request a row does not list as allowed for a persona is expected to be denied.
 */
import {
  AccessExpectation,
  AccessMatrixRow,
  Persona,
  ResourceAttributes,
  accessExpectations,
  parseServiceAccountRef,
  renderAccessMatrix,
} from '../lib/access';
import { production } from '../charts/environments';
import { Identities } from '../charts/identities';
import { MatrixAbility } from '../charts/persona-declaration';
import { ClusterAccessSettings, committedClusterSettings } from './settings';

/** A line of the matrix before its answers: the personas allowed follow from the abilities they hold. */
interface MatrixLine {
  readonly action: string;
  readonly request: ResourceAttributes;
  /**
   * What a persona must hold to be allowed.
   * @default - nobody is allowed
   */
  readonly needs?: MatrixAbility;
}

/** The matrix's personas, as the API server sees each of them (for break-glass: after impersonation). */
export function matrixPersonas(settings: ClusterAccessSettings): Persona[] {
  return settings.personas.map((persona) => ({
    id: persona.id,
    title: persona.matrix.title,
    ...persona.matrix.subject(settings.identities),
  }));
}

const { READ, APPLY, EMERGENCY, SYNC, IMPERSONATE_BREAK_GLASS } = MatrixAbility;

/**
 * The questions, for an environment in namespace `prod` (production's): reading, acting inside running
 * containers, changing workloads, access control, break-glass impersonation and what lies outside.
 */
function matrixLines(prod: string, identities: Identities): MatrixLine[] {
  const other = 'kube-system';
  const argocd = parseServiceAccountRef(identities.argocdServiceAccount, 'argocdServiceAccount');
  return [
    // reading
    {
      action: 'list pods',
      request: { namespace: prod, verb: 'list', group: '', resource: 'pods' },
      needs: READ,
    },
    {
      action: 'read pod logs',
      request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'log' },
      needs: READ,
    },
    {
      action: 'get a deployment',
      request: { namespace: prod, verb: 'get', group: 'apps', resource: 'deployments', name: 'backend' },
      needs: READ,
    },
    {
      action: 'list deployments',
      request: { namespace: prod, verb: 'list', group: 'apps', resource: 'deployments' },
      needs: READ,
    },
    {
      action: 'list configmaps',
      request: { namespace: prod, verb: 'list', group: '', resource: 'configmaps' },
      needs: READ,
    },
    {
      action: 'get a secret',
      request: { namespace: prod, verb: 'get', group: '', resource: 'secrets', name: 'app-secrets' },
      needs: EMERGENCY,
    },
    {
      action: 'list secrets',
      request: { namespace: prod, verb: 'list', group: '', resource: 'secrets' },
      needs: EMERGENCY,
    },
    {
      action: 'watch secrets',
      request: { namespace: prod, verb: 'watch', group: '', resource: 'secrets' },
      needs: EMERGENCY,
    },
    // acting inside running containers
    {
      action: 'exec into a pod',
      request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
      needs: EMERGENCY,
    },
    {
      action: 'exec into a pod (websocket GET)',
      request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'exec' },
      needs: EMERGENCY,
    },
    {
      action: 'attach to a pod',
      request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'attach' },
      needs: EMERGENCY,
    },
    {
      action: 'port-forward to a pod',
      request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'portforward' },
      needs: EMERGENCY,
    },
    {
      action: 'proxy to a pod',
      request: { namespace: prod, verb: 'get', group: '', resource: 'pods', subresource: 'proxy' },
    },
    {
      action: 'evict a pod',
      request: { namespace: prod, verb: 'create', group: '', resource: 'pods', subresource: 'eviction' },
      needs: EMERGENCY,
    },
    // changing workloads
    {
      action: 'patch a deployment (image)',
      request: { namespace: prod, verb: 'patch', group: 'apps', resource: 'deployments', name: 'backend' },
      needs: APPLY,
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
      needs: APPLY,
    },
    {
      // break-glass may write only the kinds production runs, and production runs no StatefulSet
      action: 'patch a statefulset',
      request: { namespace: prod, verb: 'patch', group: 'apps', resource: 'statefulsets', name: 'db' },
      needs: SYNC,
    },
    {
      // replacing (PUT) is not how the ArgoCD-down procedure applies (kubectl apply creates or patches)
      action: 'replace a deployment (update)',
      request: { namespace: prod, verb: 'update', group: 'apps', resource: 'deployments', name: 'backend' },
      needs: SYNC,
    },
    {
      action: 'create a deployment',
      request: { namespace: prod, verb: 'create', group: 'apps', resource: 'deployments' },
      needs: APPLY,
    },
    {
      action: 'delete a deployment',
      request: { namespace: prod, verb: 'delete', group: 'apps', resource: 'deployments', name: 'backend' },
      needs: APPLY,
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
      needs: EMERGENCY,
    },
    {
      action: 'patch a job',
      request: { namespace: prod, verb: 'patch', group: 'batch', resource: 'jobs', name: 'migrate' },
      needs: SYNC,
    },
    {
      action: 'delete a stuck job',
      request: {
        namespace: prod,
        verb: 'delete',
        group: 'batch',
        resource: 'jobs',
        name: 'backend-cleanup-1',
      },
      needs: APPLY,
    },
    {
      action: 'delete a pod',
      request: { namespace: prod, verb: 'delete', group: '', resource: 'pods', name: 'backend-0' },
      needs: APPLY,
    },
    {
      action: 'create a pod',
      request: { namespace: prod, verb: 'create', group: '', resource: 'pods' },
      needs: SYNC,
    },
    {
      action: 'create a configmap',
      request: { namespace: prod, verb: 'create', group: '', resource: 'configmaps' },
      needs: APPLY,
    },
    {
      action: 'create a service account',
      request: { namespace: prod, verb: 'create', group: '', resource: 'serviceaccounts' },
      needs: APPLY,
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
      needs: APPLY,
    },
    {
      action: 'update a secret',
      request: { namespace: prod, verb: 'update', group: '', resource: 'secrets', name: 'app-secrets' },
      needs: EMERGENCY,
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
    },
    {
      action: 'change the resource quota',
      request: { namespace: prod, verb: 'patch', group: '', resource: 'resourcequotas', name: 'production' },
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
    },
    // break-glass: impersonation, cluster-wide
    {
      action: 'impersonate the break-glass group',
      request: { verb: 'impersonate', group: '', resource: 'groups', name: identities.breakGlassGroup },
      needs: IMPERSONATE_BREAK_GLASS,
    },
    {
      action: 'impersonate the break-glass user',
      request: { verb: 'impersonate', group: '', resource: 'users', name: identities.breakGlassUser },
      needs: IMPERSONATE_BREAK_GLASS,
    },
    {
      action: 'impersonate system:masters',
      request: { verb: 'impersonate', group: '', resource: 'groups', name: 'system:masters' },
    },
    {
      action: 'impersonate another user',
      request: { verb: 'impersonate', group: '', resource: 'users', name: 'kubernetes-admin' },
    },
    {
      action: 'impersonate the ArgoCD controller',
      request: {
        namespace: argocd.namespace,
        verb: 'impersonate',
        group: '',
        resource: 'serviceaccounts',
        name: argocd.name,
      },
    },
    // outside production
    {
      action: 'delete the production namespace',
      request: { verb: 'delete', group: '', resource: 'namespaces', name: prod },
    },
    { action: 'create a namespace', request: { verb: 'create', group: '', resource: 'namespaces' } },
    {
      action: 'bind a cluster role',
      request: { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    },
    {
      action: 'change an admission policy',
      request: {
        verb: 'patch',
        group: 'admissionregistration.k8s.io',
        resource: 'validatingadmissionpolicies',
        name: `${prod}-image-registry`,
      },
    },
    {
      action: `list pods in ${other}`,
      request: { namespace: other, verb: 'list', group: '', resource: 'pods' },
    },
    {
      action: `patch a deployment in ${other}`,
      request: { namespace: other, verb: 'patch', group: 'apps', resource: 'deployments', name: 'coredns' },
    },
    {
      action: `create a pod in ${argocd.namespace}`,
      request: {
        namespace: argocd.namespace,
        verb: 'create',
        group: '',
        resource: 'pods',
      },
    },
  ];
}

/** A matrix: its personas (columns) and its rows, each naming the personas allowed. */
export interface AccessMatrix {
  readonly personas: readonly Persona[];
  readonly rows: readonly AccessMatrixRow[];
}

/**
 * The access matrix of the environment in `namespace`, from the persona table of `settings`: a row
 * allows exactly the personas holding the ability it needs.
 * @default namespace - production's
 */
export function accessMatrix(
  settings: ClusterAccessSettings,
  namespace: string = production.namespace,
): AccessMatrix {
  const declared = new Map(settings.personas.map((persona) => [persona.id, persona.matrix.abilities]));
  const rows = matrixLines(namespace, settings.identities).map((line): AccessMatrixRow => ({
    action: line.action,
    request: line.request,
    allow: [...declared]
      .filter(([, abilities]) => line.needs !== undefined && abilities.includes(line.needs))
      .map(([id]) => id),
  }));
  return { personas: matrixPersonas(settings), rows };
}

const committed = committedClusterSettings();
const matrix = accessMatrix(committed);

/**
 * The names the matrix and the cluster suites speak of, as the committed stack file sets them: every
 * persona's identities, and `namespace`, production's.
 */
export const settings: Identities & { readonly namespace: string } = {
  ...committed.identities,
  namespace: production.namespace,
};
/** The personas of the committed stack file. */
export const personas: readonly Persona[] = matrix.personas;
/** The rows of production's matrix. */
export const rows: readonly AccessMatrixRow[] = matrix.rows;

/** Every cell: persona, request, expected answer. */
export function expectations(of: AccessMatrix = matrix): AccessExpectation[] {
  return accessExpectations(of.personas, of.rows);
}

/** docs/access-matrix.md (generated, so listed in .prettierignore). */
export function accessMatrixDocument(
  of: AccessMatrix = matrix,
  identities: Identities = committed.identities,
): string {
  const prod = production.namespace;
  return `<!-- Generated by \`npm run rbac:export\` from stacks/access-matrix.ts. Do not edit: change the table and re-run the export. -->

# Access matrix: who may do what in production

Each cell is what the RBAC objects declared by the Pulumi program (\`stacks/\`, exported to
\`infra/cluster/manifests/\`) answer for that persona. \`npm test\` checks every cell against those objects;
the cluster suite can ask a real API server the same questions. Break-glass is reached only by on-call
impersonating it (\`kubectl --as ${identities.breakGlassUser} --as-group ${identities.breakGlassGroup}\`), so the
audit log records both the on-call engineer and the break-glass identity. Break-glass may create, patch
and delete exactly the kinds production runs (what the ArgoCD-down runbook applies), derived from the
prod overlay. CI has no identity in the cluster: a release is a commit, which ArgoCD syncs. Admission
narrows every allowed write further: images in \`${prod}\` come from the registry with a \`sha-\` tag.

${renderAccessMatrix(of.personas, of.rows)}`;
}
