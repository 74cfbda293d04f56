import { AuthorizationV1Api } from '@kubernetes/client-node';
import { AccessExpectation, Persona, ResourceAttributes, describeRequest } from '../../lib/access';
import { expectations, settings } from '../../stacks/access-matrix';
import { ClusterClient, RequestSpec, apiErrorOf } from './support/cluster-client';
import { ClusterFixture } from './support/cluster-fixture';

// THE access matrix (stacks/access-matrix.ts): every persona × request, with the expected answer.
const cells = expectations();
/** `on-call may list core/pods in production`, or for a denied cell `fails when developer asks to patch ...`. */
const title = (cell: AccessExpectation): string =>
  cell.allowed
    ? `${cell.persona.title} may ${describeRequest(cell.request)}`
    : `fails when ${cell.persona.title} asks to ${describeRequest(cell.request)}`;
const table = (list: readonly AccessExpectation[]): [string, AccessExpectation][] =>
  list.map((cell) => [title(cell), cell]);

let fixture: ClusterFixture;
let authorization: AuthorizationV1Api;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  authorization = fixture.admin.kubeConfig.makeApiClient(AuthorizationV1Api);
});

/** How the persona reaches the server: people by client certificate, service accounts and break-glass impersonated. */
function clientOf(persona: Persona): ClusterClient {
  const { user, groups } = persona;
  return user.startsWith('system:serviceaccount:') || persona.id === 'breakGlass'
    ? fixture.admin.impersonating({ user, groups })
    : fixture.as({ user, groups });
}

const PLACEHOLDER = 'cluster-test-probe';

/**
 * The attributes the API server itself builds for `request`: a request on a Namespace object
 * (`/api/v1/namespaces/<name>`) carries that namespace as its namespace, so RoleBindings there apply to it.
 */
function serverAttributes(request: ResourceAttributes): ResourceAttributes {
  return request.group === '' && request.resource === 'namespaces' && request.name
    ? { ...request, namespace: request.name }
    : request;
}

/**
 * The HTTP request a client makes for `request`, or `undefined` for verbs that are no HTTP request of
 * their own (impersonate, escalate, bind). Writes are dry runs and watches end after a second, so a cell
 * that is wrongly allowed fails its test without changing the cluster. Names absent from the matrix get
 * a placeholder: the authorizer answers before the object is looked up.
 */
async function httpRequestFor(request: ResourceAttributes): Promise<RequestSpec | undefined> {
  const version = request.group === '' ? 'v1' : await preferredVersion(request.group);
  const base = request.group === '' ? `/api/${version}` : `/apis/${request.group}/${version}`;
  const namespaced = request.namespace && request.resource !== 'namespaces';
  const collection = `${base}${namespaced ? `/namespaces/${request.namespace}` : ''}/${request.resource}`;
  const named = `${collection}/${request.name ?? PLACEHOLDER}${request.subresource ? `/${request.subresource}` : ''}`;
  const dryRun = { dryRun: 'All' };
  switch (request.verb) {
    case 'get':
      return { method: 'GET', path: named };
    case 'list':
      return { method: 'GET', path: collection };
    case 'watch':
      return { method: 'GET', path: collection, query: { watch: 'true', timeoutSeconds: '1' } };
    case 'create':
      return { method: 'POST', path: request.subresource ? named : collection, query: dryRun, body: {} };
    case 'update':
      return { method: 'PUT', path: named, query: dryRun, body: {} };
    case 'patch':
      return {
        method: 'PATCH',
        path: named,
        query: dryRun,
        body: {},
        contentType: 'application/merge-patch+json',
      };
    case 'delete':
      return { method: 'DELETE', path: named, query: dryRun };
    case 'deletecollection':
      return { method: 'DELETE', path: collection, query: dryRun };
    default:
      return undefined;
  }
}

const versions = new Map<string, Promise<string>>();
function preferredVersion(group: string): Promise<string> {
  if (!versions.has(group)) {
    versions.set(
      group,
      fixture.admin
        .request<{ preferredVersion: { version: string } }>({ method: 'GET', path: `/apis/${group}` })
        .then(({ body }) => body.preferredVersion.version),
    );
  }
  return versions.get(group) as Promise<string>;
}

describe('the access matrix, cell by cell, through SubjectAccessReviews against the real RBAC authorizer', () => {
  test('the matrix has cells, allowed and denied ones', () => {
    expect(cells.some((c) => c.allowed)).toBe(true);
    expect(cells.some((c) => !c.allowed)).toBe(true);
  });

  test.each(table(cells))('%s', async (_title, cell) => {
    // given the persona as the API server sees it, and the attributes the server builds for the request
    const { user, groups } = cell.persona;

    // when asking the authorizer
    const review = await authorization.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user, groups: [...groups], resourceAttributes: { ...serverAttributes(cell.request) } },
      },
    });

    // then it answers as the matrix says
    expect({ request: describeRequest(cell.request), allowed: review.status?.allowed ?? false }).toEqual({
      request: describeRequest(cell.request),
      allowed: cell.allowed,
    });
  });
});

describe('every denied cell is denied to a real request too', () => {
  const denied = cells.filter(
    (c) => !c.allowed && !['impersonate', 'escalate', 'bind'].includes(c.request.verb),
  );

  test.each(table(denied))('%s', async (_title, cell) => {
    // given the persona's own client and the HTTP request the verb stands for
    const spec = await httpRequestFor(cell.request);
    if (!spec) throw new Error(`no HTTP request for verb ${cell.request.verb}`);

    // when
    const error = await apiErrorOf(clientOf(cell.persona).request(spec));

    // then RBAC refuses it before anything else happens
    expect(error.status).toBe(403);
    expect(error.body.message).toContain(`"${cell.persona.user}" cannot ${cell.request.verb}`);
  });
});

describe('Pod Security is only as strong as who may relabel the namespace', () => {
  test.each(personasOf(cells).map((p) => [p.title, p] as const))(
    'fails when %s tries to drop the enforce label of the production namespace',
    async (_title, persona) => {
      // given the persona's own client
      const client = clientOf(persona);

      // when removing the label that turns enforcement on (a dry run: nothing changes even if allowed)
      const error = await apiErrorOf(
        client.patch(
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: settings.namespace } },
          'merge',
          { metadata: { labels: { 'pod-security.kubernetes.io/enforce': null } } },
          { dryRun: true },
        ),
      );

      // then
      expect(error.status).toBe(403);
    },
  );
});

function personasOf(list: readonly AccessExpectation[]): Persona[] {
  return [...new Map(list.map((c) => [c.persona.id, c.persona])).values()];
}
