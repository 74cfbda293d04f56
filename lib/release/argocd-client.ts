import {
  ArgoCdApplication,
  ArgoCdManagedResources,
  ArgoCdResourceTree,
  RolloutSnapshot,
} from './rollout-assessment';

/** An ArgoCD API call that did not answer 2xx. */
export class ArgoCdApiError extends Error {
  constructor(
    public readonly path: string,
    public readonly status: number,
    body: string,
  ) {
    const hint =
      status === 401 || status === 403 || status === 404
        ? '; check the server address and that the token (a project role token) may "get" this application'
        : '';
    super(`ArgoCD GET ${path} answered ${status}: ${body.slice(0, 300)}${hint}`);
    this.name = 'ArgoCdApiError';
  }

  /** 401, 403 and 404 will not go away by waiting. */
  get permanent(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export interface ArgoCdClientProps {
  /** Base URL of the ArgoCD API server, e.g. `https://argocd.example.com`. */
  readonly server: string;
  /** A bearer token; a project role token needs only the `get` action for these reads. */
  readonly token: string;
  /** @default - the global `fetch` */
  readonly fetch?: typeof fetch;
}

/** The read-only calls of ArgoCD's REST API that a rollout check needs. */
export class ArgoCdClient {
  private readonly server: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly props: ArgoCdClientProps) {
    this.server = props.server.replace(/\/+$/, '');
    this.fetch = props.fetch ?? fetch;
  }

  /** The application; `refresh` asks ArgoCD to compare with Git now instead of at its next poll. */
  application(name: string, refresh = false): Promise<ArgoCdApplication> {
    return this.get(`/api/v1/applications/${encodeURIComponent(name)}${refresh ? '?refresh=normal' : ''}`);
  }

  resourceTree(name: string): Promise<ArgoCdResourceTree> {
    return this.get(`/api/v1/applications/${encodeURIComponent(name)}/resource-tree`);
  }

  managedResources(name: string): Promise<ArgoCdManagedResources> {
    return this.get(`/api/v1/applications/${encodeURIComponent(name)}/managed-resources`);
  }

  async snapshot(name: string, refresh = false): Promise<RolloutSnapshot> {
    const application = await this.application(name, refresh);
    const [tree, managed] = await Promise.all([this.resourceTree(name), this.managedResources(name)]);
    return { application, tree, managed };
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetch(`${this.server}${path}`, {
      headers: { Authorization: `Bearer ${this.props.token}`, Accept: 'application/json' },
      // A refresh waits for ArgoCD to compare with Git; a hung connection must not outlive the timeout.
      signal: AbortSignal.timeout(60_000),
    });
    const body = await response.text();
    if (!response.ok) throw new ArgoCdApiError(path, response.status, body);
    return JSON.parse(body) as T;
  }
}
