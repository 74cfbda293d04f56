import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ARGOCD_API_VERSION,
  AppProjectSpec,
  ClusterResourceRestriction,
  GroupKind,
  OrphanedResourceKey,
  ProjectRole,
} from '../argocd-api/argocd-types';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  DEFAULT_PROJECT,
  IN_CLUSTER_SERVER,
} from '../argocd-api/argocd-conventions';
import { DNS_LABEL } from '../manifest/dns-label';

/** A project Applications can be placed in. */
export interface IArgoCdProject {
  /** `metadata.name`, which Applications name in `spec.project`. */
  readonly name: string;
  /** Whether Applications of the project may deploy to `namespace` of the cluster at `server`. */
  allowsDestination(server: string, namespace: string): boolean;
}

export interface ArgoCdProjectProps {
  /** Name of the AppProject; `default` is refused. */
  readonly name: string;
  /** What the project is for, shown in the ArgoCD UI. */
  readonly description: string;
  /** HTTPS URL of the one Git repository the project's Applications may deploy from. */
  readonly repoURL: string;
  /**
   * Namespaces of the in-cluster API server the project's Applications may deploy to. A trailing `*`
   * matches a prefix (`preview-*`); a lone `*` is refused.
   */
  readonly namespaces: readonly string[];
  /**
   * API server URLs of the clusters the project's Applications may deploy to, each with every one of
   * `namespaces`; a cluster other than ArgoCD's own must be registered with ArgoCD.
   * @default - the in-cluster API server only
   */
  readonly servers?: readonly string[];
  /**
   * Namespaced kinds the project may deploy.
   * @default - every namespaced kind
   */
  readonly namespacedKinds?: readonly GroupKind[];
  /**
   * Glob of the Namespaces the project's Applications may create as objects of their own, e.g.
   * `preview-*`. No other cluster-scoped object is ever allowed.
   * @default - none: the project creates no cluster-scoped object at all
   */
  readonly createsNamespaces?: string;
  /**
   * Resources of the destination namespaces that no Application manages but that are expected there
   * (created by a controller, for instance); every other one raises a warning on the Application.
   * @default - every unmanaged resource raises a warning
   */
  readonly ignoreOrphaned?: readonly OrphanedResourceKey[];
  /**
   * Namespace ArgoCD is installed in.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
}

/** `preview-*` → matches `preview-42`; any other pattern only itself. */
function namespaceGlob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[-a-z0-9]*');
  return new RegExp(`^${escaped}$`);
}

/**
 * An ArgoCD AppProject fenced to one repository and the named namespaces of the in-cluster API server.
 * It creates no cluster-scoped object (at most Namespaces matching `createsNamespaces`) and warns
 * about resources of its namespaces that Git does not describe. Roles are added with `addSyncRole`.
 */
export class ArgoCdProject extends Construct implements IArgoCdProject {
  public readonly name: string;
  public readonly apiObject: ApiObject;
  private readonly namespaces: readonly string[];
  private readonly servers: readonly string[];
  private readonly roles: ProjectRole[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    if (props.name === DEFAULT_PROJECT || !DNS_LABEL.test(props.name)) {
      throw new Error(
        `${this.node.path}: name "${props.name}" is not allowed: use a DNS label other than "${DEFAULT_PROJECT}", which permits everything`,
      );
    }
    if (props.namespaces.length === 0) {
      throw new Error(`${this.node.path}: namespaces is empty: name the namespaces the project deploys to`);
    }
    const wide = props.namespaces.filter((namespace) => !/^[a-z0-9][-a-z0-9]*\*?$/.test(namespace));
    if (wide.length > 0) {
      throw new Error(
        `${this.node.path}: namespaces ${wide.join(', ')} are not allowed: name namespaces, or a prefix followed by "*"`,
      );
    }
    this.name = props.name;
    this.namespaces = [...props.namespaces];
    this.servers = [...(props.servers ?? [IN_CLUSTER_SERVER])];
    const badServers = this.servers.filter((server) => !/^https:\/\/[^\s/*]+/.test(server));
    if (this.servers.length === 0 || badServers.length > 0) {
      throw new Error(
        `${this.node.path}: servers ${badServers.join(', ') || '(none)'}: name each cluster by its https API server URL`,
      );
    }

    const clusterResourceWhitelist: ClusterResourceRestriction[] = props.createsNamespaces
      ? [{ group: '', kind: 'Namespace', name: props.createsNamespaces }]
      : [];
    const spec: AppProjectSpec = {
      description: props.description,
      sourceRepos: [props.repoURL],
      destinations: this.servers.flatMap((server) =>
        this.namespaces.map((namespace) => ({ server, namespace })),
      ),
      clusterResourceWhitelist,
      namespaceResourceWhitelist: props.namespacedKinds ? [...props.namespacedKinds] : undefined,
      orphanedResources: { warn: true, ignore: props.ignoreOrphaned ? [...props.ignoreOrphaned] : undefined },
      roles: Lazy.any({ produce: () => [...this.roles] }),
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'AppProject',
      metadata: { name: props.name, namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE },
      spec,
    });
  }

  public allowsDestination(server: string, namespace: string): boolean {
    return (
      this.servers.includes(server) &&
      this.namespaces.some((pattern) => namespaceGlob(pattern).test(namespace))
    );
  }

  /**
   * Adds a role that may read and sync the project's Applications and nothing else, for automation
   * (a CI job waiting for a release) authenticating with a project token. Returns it.
   */
  public addSyncRole(name: string, description: string): ProjectRole {
    if (!DNS_LABEL.test(name) || this.roles.some((role) => role.name === name)) {
      throw new Error(`${this.node.path}: role name "${name}" is not a DNS label or is used twice`);
    }
    const subject = `proj:${this.name}:${name}`;
    const role: ProjectRole = {
      name,
      description,
      policies: ['get', 'sync'].map(
        (action) => `p, ${subject}, applications, ${action}, ${this.name}/*, allow`,
      ),
    };
    this.roles.push(role);
    return role;
  }
}
