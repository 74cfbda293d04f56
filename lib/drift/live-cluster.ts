import {
  ApiException,
  ApisApi,
  Configuration,
  CoreV1Api,
  CustomObjectsApi,
  HttpMethod,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  RequestContext,
  ServerConfiguration,
  createConfiguration,
} from '@kubernetes/client-node';
import { LiveObject, UNTRACKED_KINDS_IGNORED, groupKindOf } from './find-drift';

/** The cluster could not be read: `npm run drift` exits 2 with the message, which says what to check. */
export class ClusterReadError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClusterReadError';
  }
}

/** A namespaced kind the server lists, at the version discovery prefers. */
export interface ApiResource {
  /** `v1` for the core group, `<group>/<version>` otherwise. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The plural the API paths use, e.g. `configmaps`. */
  readonly name: string;
}

/** An API group version whose discovery failed (an aggregated API whose server is down). */
export interface UnavailableApi {
  readonly groupVersion: string;
  readonly reason: string;
}

export interface LiveClusterProps {
  /**
   * Seconds one request may wait for the server's answer before the cluster counts as unreachable.
   * @default 30
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Objects asked for per list request; longer lists are read page by page.
   * @default 500 (kubectl's chunk size)
   */
  readonly pageSize?: number;
}

/** A timestamp as the API server writes it (RFC 3339, whole seconds); the typed client makes Dates of them. */
const timestampText = (value: unknown): string | undefined =>
  value instanceof Date ? value.toISOString().replace(/\.000Z$/, 'Z') : (value as string | undefined);

/** `Status.message` of an error body (the client hands it over as text, or parsed), else the body as text. */
function messageOf(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim(); // not a Status: the body as it is
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(value);
}

/**
 * The namespaced objects of a live cluster, read with `@kubernetes/client-node` and the kubeconfig's
 * current context: discovery, a namespace's existence and every object of a kind in a namespace. Reads
 * only. Every failure is a `ClusterReadError` naming the request and the server.
 *
 * Core (`v1`) kinds are listed through the client's typed `KubernetesObjectApi`, whose Dates are turned
 * back into the server's text; every other group through `CustomObjectsApi`, which returns the server's
 * JSON as it is: the generic API's deserializer drops a custom resource list's `continue` token, so it
 * cannot page them.
 */
export class LiveCluster {
  /** The API server's URL, for messages. */
  public readonly server: string;
  private readonly core: CoreV1Api;
  private readonly apis: ApisApi;
  private readonly custom: CustomObjectsApi;
  private readonly objects: KubernetesObjectApi;
  private readonly pageSize: number;
  private readonly timeoutSeconds: number;

  constructor(
    private readonly kubeConfig: KubeConfig,
    props: LiveClusterProps = {},
  ) {
    this.timeoutSeconds = props.requestTimeoutSeconds ?? 30;
    const timeout = this.timeoutSeconds * 1000;
    this.pageSize = props.pageSize ?? 500;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) {
      throw new ClusterReadError(
        'the kubeconfig names no current cluster: pass --kubeconfig <file> and/or --context <name>',
      );
    }
    this.server = cluster.server;
    // As KubeConfig.makeApiClient builds it, plus a time limit on every request.
    const configuration: Configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [
        {
          pre: async (context: RequestContext) => {
            context.setSignal(AbortSignal.timeout(timeout));
            return context;
          },
          post: async (response) => response,
        },
      ],
    });
    this.core = new CoreV1Api(configuration);
    this.apis = new ApisApi(configuration);
    this.custom = new CustomObjectsApi(configuration);
    this.objects = new KubernetesObjectApi(configuration);
  }

  /**
   * Fails, saying so, when the kubeconfig's credentials or TLS settings cannot be used (a missing file, a
   * failing exec plugin, a plain `http://` server the client refuses): before any request, so that such a
   * fault is not reported as an unreachable cluster.
   */
  async checkCredentials(): Promise<void> {
    const plainHttp =
      this.server.startsWith('http:') && this.kubeConfig.getCurrentCluster()?.skipTLSVerify !== true;
    if (plainHttp) {
      throw new ClusterReadError(
        `the kubeconfig's server ${this.server} is plain HTTP, which @kubernetes/client-node refuses unless ` +
          'the cluster entry sets insecure-skip-tls-verify: true (as for kubectl proxy); use its https:// URL or set that',
      );
    }
    const probe = new RequestContext(this.server, HttpMethod.GET);
    await this.kubeConfig.applySecurityAuthentication(probe).catch((error: Error) => {
      throw new ClusterReadError(
        `the kubeconfig's settings for ${this.server} cannot be used: ${error.message}`,
      );
    });
  }

  /** Fails with a message naming the namespace when it does not exist: the wrong cluster, most likely. */
  async checkNamespace(namespace: string): Promise<void> {
    await this.read(`GET /api/v1/namespaces/${namespace}`, () =>
      this.core.readNamespace({ name: namespace }),
    ).catch((error: Error) => {
      throw error instanceof ClusterReadError && error.status === 404
        ? new ClusterReadError(
            `namespace ${namespace}, where our Applications deploy, does not exist on ${this.server}: is this the right cluster?`,
          )
        : error;
    });
  }

  /**
   * Every namespaced kind the server lists, at its preferred version, less the ones drift never reports.
   * A group version whose discovery fails is set aside and said so, rather than failing the whole check:
   * an aggregated API (metrics.k8s.io) is often briefly down, and holds no object of ours.
   */
  async listableResources(): Promise<{ resources: ApiResource[]; unavailable: UnavailableApi[] }> {
    const core = await this.read('GET /api/v1', () => this.core.getAPIResources());
    const groups = await this.read('GET /apis', () => this.apis.getAPIVersions());
    const resources: ApiResource[] = [];
    const unavailable: UnavailableApi[] = [];
    const add = (apiVersion: string, list: typeof core): void => {
      for (const resource of list.resources) {
        if (resource.name.includes('/') || !resource.namespaced || !resource.verbs.includes('list')) continue;
        if (groupKindOf(apiVersion, resource.kind) in UNTRACKED_KINDS_IGNORED) continue;
        resources.push({ apiVersion, kind: resource.kind, name: resource.name });
      }
    };
    add('v1', core);
    for (const group of groups.groups) {
      const apiVersion = group.preferredVersion?.groupVersion ?? group.versions[0]?.groupVersion;
      if (apiVersion === undefined) continue;
      const [name, version] = apiVersion.split('/');
      try {
        add(
          apiVersion,
          await this.read(`GET /apis/${apiVersion}`, () =>
            this.custom.getAPIResources({ group: name, version }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ClusterReadError && error.status !== undefined)) throw error;
        unavailable.push({ groupVersion: apiVersion, reason: error.message });
      }
    }
    return { resources, unavailable };
  }

  /** Every object of `resource` in `namespace`, page by page, with its apiVersion and kind filled in. */
  async listObjects(resource: ApiResource, namespace: string): Promise<LiveObject[]> {
    const objects: LiveObject[] = [];
    const [group, version] = resource.apiVersion.includes('/')
      ? resource.apiVersion.split('/')
      : ['', resource.apiVersion];
    const path = `GET ${group === '' ? '/api' : '/apis'}/${resource.apiVersion}/namespaces/${namespace}/${resource.name}`;
    let token: string | undefined;
    do {
      const request = `${path}?limit=${this.pageSize}${token ? `&continue=${token}` : ''}`;
      const page: { items: readonly KubernetesObject[]; next?: string } =
        group === ''
          ? await this.read(request, async () => {
              const list = await this.objects.list(
                resource.apiVersion,
                resource.kind,
                namespace,
                undefined,
                undefined,
                undefined,
                undefined,
                undefined,
                this.pageSize,
                token,
              );
              return { items: list.items, next: list.metadata?._continue };
            })
          : await this.read(request, async () => {
              const list = (await this.custom.listNamespacedCustomObject({
                group,
                version,
                namespace,
                plural: resource.name,
                limit: this.pageSize,
                _continue: token,
              })) as { items?: KubernetesObject[]; metadata?: { continue?: string } };
              return { items: list.items ?? [], next: list.metadata?.continue };
            });
      objects.push(...page.items.map((item) => liveObjectOf(item, resource)));
      token = page.next || undefined;
    } while (token);
    return objects;
  }

  /** Runs one request, turning the client's failures into a `ClusterReadError` naming it. */
  private async read<T>(request: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ApiException) {
        const status = (error as ApiException<unknown>).code;
        throw new ClusterReadError(`${request}: ${status} ${messageOf(error.body)}`, status);
      }
      // node-fetch's: a connection refused or reset, a TLS failure, no answer in time. Anything else is a
      // fault of this program, reported as such rather than as an unreachable cluster.
      const { name, message } = error as Error;
      if (name !== 'FetchError' && name !== 'AbortError') throw error;
      const reason = name === 'AbortError' ? `no answer in ${this.timeoutSeconds}s` : message;
      throw new ClusterReadError(
        `cannot reach the API server at ${this.server} (${reason}): is the cluster up, and are --kubeconfig/--context the right ones?`,
      );
    }
  }
}

/** An item of a list as drift reads it: apiVersion and kind set, timestamps as the server's text. */
function liveObjectOf(item: KubernetesObject, resource: ApiResource): LiveObject {
  const metadata = item.metadata;
  return {
    ...item,
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    ...(metadata && {
      metadata: {
        ...metadata,
        creationTimestamp: timestampText(metadata.creationTimestamp),
        managedFields: metadata.managedFields?.map((entry) => ({
          ...entry,
          time: timestampText(entry.time),
        })),
      },
    }),
  } as LiveObject;
}
