import { KubeConfig } from '@kubernetes/client-node';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ClusterReadError, LiveCluster } from '../../../lib/drift/live-cluster';

/** What the fake API server answers: path with query → status and JSON body. */
type Routes = Record<string, { status?: number; body: unknown }>;

const status = (code: number, message: string) => ({
  status: code,
  body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code },
});

const resourceList = (groupVersion: string, resources: object[]) => ({
  body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources },
});

const resource = (name: string, kind: string, namespaced = true, verbs = ['get', 'list', 'watch']) => ({
  name,
  singularName: '',
  kind,
  namespaced,
  verbs,
});

const group = (name: string, groupVersion: string) => ({
  name,
  versions: [{ groupVersion, version: groupVersion.split('/')[1] }],
  preferredVersion: { groupVersion, version: groupVersion.split('/')[1] },
});

const TIME = '2026-12-07T10:00:00Z';

/** An object as the API server lists it: no apiVersion nor kind on the item, a hand-set field. */
const item = (name: string) => ({
  metadata: {
    name,
    namespace: 'production',
    creationTimestamp: TIME,
    annotations: { 'argocd.argoproj.io/tracking-id': `app:/ConfigMap:production/${name}` },
    managedFields: [
      {
        manager: 'kubectl-patch',
        operation: 'Update',
        apiVersion: 'v1',
        time: TIME,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:EXTRA': {} } },
      },
    ],
  },
  data: { EXTRA: 'by hand' },
});

const list = (apiVersion: string, kind: string, names: string[], next?: string) => ({
  body: {
    apiVersion,
    kind,
    metadata: { resourceVersion: '7', ...(next ? { continue: next } : {}) },
    items: names.map(item),
  },
});

const ROUTES: Routes = {
  '/api/v1/namespaces/production': {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } },
  },
  '/api/v1/namespaces/staging': status(404, 'namespaces "staging" not found'),
  '/api/v1': resourceList('v1', [
    resource('configmaps', 'ConfigMap'),
    resource('pods/log', 'Pod'),
    resource('namespaces', 'Namespace', false),
    resource('events', 'Event'),
    resource('bindings', 'Binding', true, ['create']),
  ]),
  '/apis': {
    body: {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [group('example.com', 'example.com/v1'), group('metrics.k8s.io', 'metrics.k8s.io/v1beta1')],
    },
  },
  '/apis/example.com/v1': resourceList('example.com/v1', [resource('widgets', 'Widget')]),
  '/apis/metrics.k8s.io/v1beta1': status(503, 'the server is currently unable to handle the request'),
  '/api/v1/namespaces/production/configmaps?limit=2': list('v1', 'ConfigMapList', ['a', 'b'], 'page-2'),
  '/api/v1/namespaces/production/configmaps?limit=2&continue=page-2': list('v1', 'ConfigMapList', ['c']),
  '/apis/example.com/v1/namespaces/production/widgets?limit=2': list(
    'example.com/v1',
    'WidgetList',
    ['w1', 'w2'],
    'next',
  ),
  '/apis/example.com/v1/namespaces/production/widgets?limit=2&continue=next': list(
    'example.com/v1',
    'WidgetList',
    ['w3'],
  ),
};

/** A path with its query parameters in the order the routes write them (limit, then continue). */
const normalized = (url: string): string => {
  const [path, query] = url.split('?');
  if (query === undefined) return path;
  const parameters = new URLSearchParams(query);
  const ordered = ['limit', 'continue']
    .filter((name) => parameters.has(name))
    .map((name) => `${name}=${parameters.get(name)}`);
  return `${path}?${ordered.join('&')}`;
};

/** An in-process API server answering `routes`, or never answering at all. */
async function fakeApiServer(
  routes: Routes | 'silent',
): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    asked.push(request.url ?? '');
    if (routes === 'silent') return;
    const route = routes[normalized(request.url ?? '')] ?? status(404, `the fake has no ${request.url}`);
    response.writeHead(route.status ?? 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

/**
 * A kubeconfig whose current context is `server`: TLS verification off by default (the client takes a
 * plain http:// server only so), `certFile` as the client certificate and key.
 */
function kubeConfigFor(
  server: string,
  { skipTLSVerify = true, certFile = undefined as string | undefined } = {},
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify }],
    users: [{ name: 'nobody', ...(certFile ? { certFile, keyFile: certFile } : {}) }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'nobody' }],
    currentContext: 'fake',
  });
  return kubeConfig;
}

const failureOf = async (promise: Promise<unknown>): Promise<ClusterReadError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ClusterReadError))
    throw new Error(`expected a ClusterReadError, got ${String(error)}`);
  return error;
};

describe('LiveCluster: the live objects drift reads, through @kubernetes/client-node', () => {
  let fake: Awaited<ReturnType<typeof fakeApiServer>>;
  let cluster: LiveCluster;
  beforeAll(async () => {
    fake = await fakeApiServer(ROUTES);
    cluster = new LiveCluster(kubeConfigFor(fake.url), { pageSize: 2 });
  });
  afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

  test('lists the namespaced, listable kinds at their preferred version; an API that fails discovery is set aside', async () => {
    // when
    const { resources, unavailable } = await cluster.listableResources();
    // then: no subresource, cluster-scoped kind, ignored kind (Event) or kind without list
    expect(resources).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'configmaps' },
      { apiVersion: 'example.com/v1', kind: 'Widget', name: 'widgets' },
    ]);
    expect(unavailable).toEqual([
      {
        groupVersion: 'metrics.k8s.io/v1beta1',
        reason: 'GET /apis/metrics.k8s.io/v1beta1: 503 the server is currently unable to handle the request',
      },
    ]);
  });

  test.each([
    ['a core kind', { apiVersion: 'v1', kind: 'ConfigMap', name: 'configmaps' }, ['a', 'b', 'c']],
    [
      'a custom resource',
      { apiVersion: 'example.com/v1', kind: 'Widget', name: 'widgets' },
      ['w1', 'w2', 'w3'],
    ],
  ])(
    'reads every page of %s, each object with its kind and the times as the server wrote them',
    async (_, kind, names) => {
      // when
      const objects = await cluster.listObjects(kind, 'production');
      // then
      expect(objects.map((object) => [object.apiVersion, object.kind, object.metadata?.name])).toEqual(
        names.map((name) => [kind.apiVersion, kind.kind, name]),
      );
      const [first] = objects;
      expect(first.metadata?.creationTimestamp).toBe(TIME);
      expect(first.metadata?.annotations).toEqual({
        'argocd.argoproj.io/tracking-id': `app:/ConfigMap:production/${names[0]}`,
      });
      expect(first.metadata?.managedFields).toEqual([
        expect.objectContaining({
          manager: 'kubectl-patch',
          operation: 'Update',
          time: TIME,
          fieldsV1: { 'f:data': { 'f:EXTRA': {} } },
        }),
      ]);
      expect(fake.asked.map(normalized)).toContain(
        `${kind.apiVersion === 'v1' ? '/api' : '/apis'}/${kind.apiVersion}/namespaces/production/${kind.name}?limit=2&continue=${kind.apiVersion === 'v1' ? 'page-2' : 'next'}`,
      );
    },
  );

  test('an existing namespace passes', async () => {
    // then
    await expect(cluster.checkNamespace('production')).resolves.toBeUndefined();
  });

  test('fails naming the namespace and the server when the namespace does not exist', async () => {
    // when
    const error = await failureOf(cluster.checkNamespace('staging'));
    // then
    expect(error.message).toBe(
      `namespace staging, where our Applications deploy, does not exist on ${fake.url}: is this the right cluster?`,
    );
  });

  test('fails naming the request and the status when the server refuses a list', async () => {
    // when
    const error = await failureOf(
      cluster.listObjects({ apiVersion: 'v1', kind: 'ConfigMap', name: 'configmaps' }, 'other'),
    );
    // then
    expect([error.status, error.message]).toEqual([
      404,
      'GET /api/v1/namespaces/other/configmaps?limit=2: 404 the fake has no /api/v1/namespaces/other/configmaps?limit=2',
    ]);
  });
});

describe('LiveCluster: a server that cannot be read', () => {
  test('fails with "cannot reach" and what to check when nothing listens', async () => {
    // given: a port that was just freed
    const { server, url } = await fakeApiServer({});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // when
    const error = await failureOf(new LiveCluster(kubeConfigFor(url)).checkNamespace('production'));
    // then
    expect(error.message).toMatch(
      new RegExp(
        `^cannot reach the API server at ${url} \\(.*ECONNREFUSED.*\\): is the cluster up, and are --kubeconfig/--context the right ones\\?$`,
      ),
    );
    expect(error.status).toBeUndefined();
  });

  test('fails with "no answer" when the server never answers', async () => {
    // given
    const { server, url, asked } = await fakeApiServer('silent');
    try {
      // when
      const error = await failureOf(
        new LiveCluster(kubeConfigFor(url), { requestTimeoutSeconds: 0.2 }).checkNamespace('production'),
      );
      // then
      expect(asked).toEqual(['/api/v1/namespaces/production']);
      expect(error.message).toContain(`cannot reach the API server at ${url} (no answer in 0.2s)`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('fails before any request, saying what to set, on a plain http:// server the client refuses', async () => {
    // given: kubectl proxy's address, without insecure-skip-tls-verify
    const { server, url, asked } = await fakeApiServer(ROUTES);
    try {
      // when
      const error = await failureOf(
        new LiveCluster(kubeConfigFor(url, { skipTLSVerify: false })).checkCredentials(),
      );
      // then
      expect(error.message).toContain(`the kubeconfig's server ${url} is plain HTTP`);
      expect(error.message).toContain('insecure-skip-tls-verify: true');
      expect(asked).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("fails naming the kubeconfig's settings when its client certificate cannot be read", async () => {
    // given
    const kubeConfig = kubeConfigFor('https://127.0.0.1:1', { certFile: '/nonexistent/client.crt' });
    // when
    const error = await failureOf(new LiveCluster(kubeConfig).checkCredentials());
    // then
    expect(error.message).toMatch(
      /^the kubeconfig's settings for https:\/\/127\.0\.0\.1:1 cannot be used: .*nonexistent/,
    );
  });

  test('with usable settings, the credentials check passes without a request', async () => {
    // then
    await expect(
      new LiveCluster(kubeConfigFor('https://127.0.0.1:1')).checkCredentials(),
    ).resolves.toBeUndefined();
  });
});
