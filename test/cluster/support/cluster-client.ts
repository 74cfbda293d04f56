import { KubeConfig } from '@kubernetes/client-node';
import { request as httpsRequest, RequestOptions as HttpsRequestOptions } from 'node:https';
import { ClientCertificate, Identity } from './client-certificate';

/** A Kubernetes object as sent and received: only the header is typed. */
export interface ApiObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** The `Status` body of a failed request. */
export interface ApiStatus {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: unknown;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  /** The `Warning` headers' texts (deprecations, Pod Security warnings, dropped fields...). */
  readonly warnings: readonly string[];
  /** The `Audit-Id` header: the `auditID` of this request's events in the audit log. */
  readonly auditId: string | undefined;
}

/** A request the API server answered with 4xx/5xx: carries the HTTP code, the Status and the warnings. */
export class ApiError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    readonly body: ApiStatus,
    readonly warnings: readonly string[],
    /** The `Audit-Id` header: the `auditID` of this request's events in the audit log. */
    readonly auditId: string | undefined,
  ) {
    super(`${request}: ${status} ${body.reason ?? ''} ${body.message ?? JSON.stringify(body)}`.trim());
    this.name = 'ApiError';
  }
}

export type PatchType = 'apply' | 'strategic' | 'merge' | 'json';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  apply: 'application/apply-patch+yaml',
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, e.g. a YAML document with `contentType: 'application/yaml'`. */
  readonly rawBody?: string;
  /** @default 'application/json' */
  readonly contentType?: string;
}

/** Options of every write: dry run and strict field validation. */
export interface WriteOptions {
  /** `dryRun=All`: every admission and validation step, nothing stored. @default false */
  readonly dryRun?: boolean;
  /** @default 'cluster-test' */
  readonly fieldManager?: string;
}

/** Where a kind is served, from a discovery document: its resource (plural) name and scope. */
interface ResourceInfo {
  readonly kind: string;
  readonly name: string;
  readonly namespaced: boolean;
}

const discoveryCache = new Map<string, Promise<ResourceInfo[]>>();

/**
 * A small REST client for the test API server: the credentials and TLS settings come from a
 * `@kubernetes/client-node` KubeConfig; the requests are plain HTTPS, so each test states exactly the
 * query (`dryRun`, `fieldValidation=Strict`), the patch type and the impersonation headers it means.
 */
export class ClusterClient {
  private constructor(
    /** For `@kubernetes/client-node`'s typed APIs (`kubeConfig.makeApiClient(...)`). */
    readonly kubeConfig: KubeConfig,
    private readonly impersonation: Identity | undefined,
  ) {}

  /** The administrator (`system:masters`) of the kubeconfig the launcher wrote. */
  static fromKubeconfigFile(file: string): ClusterClient {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(file);
    return new ClusterClient(kubeConfig, undefined);
  }

  /** The same server, authenticated with a client certificate instead. */
  withCertificate(certificate: ClientCertificate, name: string): ClusterClient {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(cluster, {
      name,
      certData: Buffer.from(certificate.cert).toString('base64'),
      keyData: Buffer.from(certificate.key).toString('base64'),
    });
    return new ClusterClient(kubeConfig, undefined);
  }

  /** The same server with no credentials at all: the API server's anonymous user. */
  anonymous(): ClusterClient {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(cluster, { name: 'anonymous' });
    return new ClusterClient(kubeConfig, undefined);
  }

  /**
   * The same credentials, acting as `identity` through impersonation (`kubectl --as --as-group`):
   * the API server authorizes `impersonate` for the caller first, then the request for `identity`.
   */
  impersonating(identity: Identity): ClusterClient {
    return new ClusterClient(this.kubeConfig, identity);
  }

  /** Sends one request; throws `ApiError` on a 4xx/5xx answer. */
  async request<T = ApiObject>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const url = new URL(spec.path, cluster.server);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string | string[]> = { Accept: 'application/json' };
    if (this.impersonation) {
      headers['Impersonate-User'] = this.impersonation.user;
      const groups = this.impersonation.groups.filter((g) => g !== 'system:authenticated');
      if (groups.length > 0) headers['Impersonate-Group'] = groups;
    }
    const payload = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
    if (payload !== undefined) headers['Content-Type'] = spec.contentType ?? 'application/json';
    const options: HttpsRequestOptions = { method: spec.method, headers };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const description = `${spec.method} ${url.pathname}${url.search}`;
    type Raw = { status: number; text: string; warnings: string[]; auditId: string | undefined };
    const { status, text, warnings, auditId } = await new Promise<Raw>((resolve, reject) => {
      const req = httpsRequest(url, { ...options, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const warning = res.headers.warning;
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            warnings: (Array.isArray(warning) ? warning : warning ? [warning] : []).map(warningText),
            auditId: [res.headers['audit-id']].flat()[0],
          });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${description}: no answer in 30s`)));
      req.on('error', reject);
      req.end(payload);
    });
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (status >= 400) throw new ApiError(description, status, (body ?? {}) as ApiStatus, warnings, auditId);
    return { status, body: body as T, warnings, auditId };
  }

  /** Resource name and scope of `kind` in `apiVersion`, from the server's discovery documents. */
  async resourceOf(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const key = `${this.kubeConfig.getCurrentCluster()?.server}${path}`;
    const find = async (): Promise<ResourceInfo | undefined> => {
      if (!discoveryCache.has(key)) {
        const resources = this.request<{ resources: ResourceInfo[] }>({ method: 'GET', path }).then(
          ({ body }) => body.resources.filter((r) => !r.name.includes('/')),
        );
        resources.catch(() => discoveryCache.delete(key));
        discoveryCache.set(key, resources);
      }
      return (await discoveryCache.get(key))?.find((r) => r.kind === kind);
    };
    let found = await find().catch(() => undefined);
    if (!found) {
      discoveryCache.delete(key); // a CRD may have been installed since the last look
      found = await find();
    }
    if (!found) throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
    return found;
  }

  /** `/apis/<group>/<version>[/namespaces/<ns>]/<resource>[/<name>]` of an object. */
  async pathOf(object: ApiObject, withName = true): Promise<string> {
    const resource = await this.resourceOf(object.apiVersion, object.kind);
    const root = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = object.metadata?.namespace;
    if (resource.namespaced && !namespace) {
      throw new Error(`${object.kind} ${object.metadata?.name} is namespaced but has no metadata.namespace`);
    }
    const scope = resource.namespaced ? `/namespaces/${namespace}` : '';
    const name = withName ? `/${encodeURIComponent(object.metadata?.name ?? '')}` : '';
    return `${root}${scope}/${resource.name}${name}`;
  }

  /**
   * Server-side apply with `fieldValidation=Strict` (an unknown or duplicate field fails the request) and
   * `force` (the suite owns every field it applies). Creates the object or updates it.
   */
  async apply<T = ApiObject>(object: ApiObject, options: WriteOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>({
      method: 'PATCH',
      path: await this.pathOf(object),
      query: writeQuery(options, { force: 'true' }),
      body: object,
      contentType: PATCH_CONTENT_TYPES.apply,
    });
  }

  /**
   * What `kubectl apply --validate=strict --dry-run=server` checks, and what ArgoCD's sync sends: a
   * create (POST) when the object does not exist, else a full replace (PUT at the current
   * resourceVersion), both with `dryRun=All` and `fieldValidation=Strict`. (A server-side apply would
   * report an unknown field as a 500 "failed to create typed patch object" instead of a 400.)
   */
  async dryRunCreateOrReplace<T = ApiObject>(object: ApiObject): Promise<ApiResponse<T>> {
    let current: ApiObject | undefined;
    try {
      current = await this.get(object);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    if (!current) return this.create<T>(object, { dryRun: true });
    const replacement = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: current.metadata?.resourceVersion },
    };
    return this.request<T>({
      method: 'PUT',
      path: await this.pathOf(object),
      query: writeQuery({ dryRun: true }),
      body: replacement,
    });
  }

  /** POST with `fieldValidation=Strict`. */
  async create<T = ApiObject>(object: ApiObject, options: WriteOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>({
      method: 'POST',
      path: await this.pathOf(object, false),
      query: writeQuery(options),
      body: object,
    });
  }

  /** A patch of the object `ref` names (apiVersion, kind, namespace, name), with `fieldValidation=Strict`. */
  async patch<T = ApiObject>(
    ref: ApiObject,
    type: Exclude<PatchType, 'apply'>,
    patch: unknown,
    options: WriteOptions = {},
  ): Promise<ApiResponse<T>> {
    return this.request<T>({
      method: 'PATCH',
      path: await this.pathOf(ref),
      query: writeQuery(options),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  async get<T = ApiObject>(ref: ApiObject): Promise<T> {
    return (await this.request<T>({ method: 'GET', path: await this.pathOf(ref) })).body;
  }

  async delete(ref: ApiObject, options: WriteOptions = {}): Promise<ApiResponse<ApiObject>> {
    return this.request({
      method: 'DELETE',
      path: await this.pathOf(ref),
      query: { dryRun: options.dryRun ? 'All' : undefined },
    });
  }
}

function writeQuery(
  options: WriteOptions,
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    fieldManager: options.fieldManager ?? 'cluster-test',
    fieldValidation: 'Strict',
    dryRun: options.dryRun ? 'All' : undefined,
    ...extra,
  };
}

/** `299 - "text"` → `text`. */
function warningText(header: string): string {
  const match = /^\d{3} \S+ "(.*)"/.exec(header);
  return match ? match[1].replace(/\\"/g, '"') : header;
}

/** The `ApiError` a promise rejects with; fails when it resolves or rejects with anything else. */
export async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the API server to refuse the request, but it was accepted');
}
