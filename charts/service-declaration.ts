import { CommandProbe, ContainerResources, HttpProbe, ImageSource, SecretKeyDelivery } from '../lib';

/** What a service may differ in from one environment to the next. */
export interface ServiceSettings {
  /** Number of pods; more than one also gets a PodDisruptionBudget. */
  readonly replicas: number;
  /** CPU and memory of the main container. */
  readonly resources: ContainerResources;
  /** Values of the service's ConfigMap, exposed to the container as environment variables. */
  readonly config: Readonly<Record<string, string>>;
}

/** A workload that serves HTTP on one port, behind a Service. */
export interface HttpWorkloadDeclaration {
  readonly kind: 'http';
  /** TCP port the container listens on: the only port a peer or the Ingress controller may reach. */
  readonly port: number;
  /** When a pod may receive traffic. */
  readonly readiness: HttpProbe;
  /** When the kubelet restarts the container. */
  readonly liveness: HttpProbe;
}

/** A workload that listens on no port (a queue consumer, a scheduler): no Service, nothing may connect to it. */
export interface WorkerDeclaration {
  readonly kind: 'worker';
  /** A command the kubelet runs in the container to decide whether to restart it. */
  readonly liveness: CommandProbe;
  /**
   * A command that says a new pod is ready, so that a rollout goes on.
   * @default - the liveness command
   */
  readonly readiness?: CommandProbe;
}

export type WorkloadDeclaration = HttpWorkloadDeclaration | WorkerDeclaration;

/**
 * A network peer, as data: another service of the catalog (on the port it listens on), every pod of a
 * namespace, or an IP network, with the destination ports for the last two.
 */
export type PeerDeclaration =
  | { readonly service: string }
  | { readonly namespace: string; readonly ports: readonly number[] }
  | { readonly cidr: string; readonly ports: readonly number[] };

/** A task on the service's image, on a schedule (UTC). */
export interface CronJobDeclaration {
  /** Name of the CronJob. */
  readonly name: string;
  /** Cron expression in UTC, e.g. `0 3 * * *`. */
  readonly schedule: string;
  /** Command run in the service's image. */
  readonly command: readonly string[];
  /** CPU and memory of the task's container. */
  readonly resources: ContainerResources;
}

/**
 * One key of a secret and how the workload gets it: `{ key, env }`, an environment variable of every
 * container, or `{ key, file }`, a read-only file (an absolute path; its folder holds only this secret's
 * files, mounted from the Secret).
 */
export type SecretKeyDeclaration = SecretKeyDelivery;

/**
 * A secret of the service: its keys and how each reaches the pods (the Deployment's and its CronJobs').
 * In the cluster it is the Secret `<service>-<name>`, made by the Sealed Secrets controller from the
 * SealedSecret synth writes into each environment's overlay, from the values `npm run seal` sealed into
 * `charts/sealed-secrets/<environment>/<service>-<name>.json` (docs/adding-a-service.md).
 */
export interface SecretDeclaration {
  /** Name within the service, a DNS label: the Secret is `<service>-<name>`, e.g. `backend-database`. */
  readonly name: string;
  /** Its keys, each once, e.g. `{ key: 'password', env: 'DATABASE_PASSWORD' }`. */
  readonly keys: readonly SecretKeyDeclaration[];
}

/**
 * One service of the catalog: everything every environment of it is generated from. `base` settings
 * are what the environment-neutral base (and so every preview) runs; each deployed environment takes
 * the entry named by its `settings` (docs/adding-a-service.md).
 */
export interface ServiceDeclaration {
  /** Name of the Deployment, Service and every other object; a DNS label. */
  readonly name: string;
  /** The image: where CI pushes it and where its source lives (which decides how its release starts). */
  readonly image: {
    /**
     * Repository the image is pushed to.
     * @default - `<registry>/<name>`
     */
    readonly repository?: string;
    /** A folder of this repository (its docker build context) or the repository whose CI builds it. */
    readonly source: ImageSource;
  };
  readonly workload: WorkloadDeclaration;
  /**
   * Command run instead of the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Tasks on the service's image.
   * @default - none
   */
  readonly cronJobs?: readonly CronJobDeclaration[];
  /**
   * Public HTTPS exposure (an HTTP workload only): the first label of the host; each environment adds
   * its domain, e.g. `api` → `api.robson.example` in production.
   * @default - no Ingress: reachable by the declared peers only
   */
  readonly ingress?: { readonly hostLabel: string };
  /**
   * Where the pods may connect to besides DNS. A service named here also admits this one.
   * @default - DNS only
   */
  readonly reaches?: readonly PeerDeclaration[];
  /**
   * Who may connect to the pods, on the workload's port (an HTTP workload only). A service named here
   * also gets the egress rule to reach this one.
   * @default - nobody but the Ingress controller (with `ingress`)
   */
  readonly reachedBy?: readonly PeerDeclaration[];
  /**
   * The service's secrets. Each deployed environment needs a sealed value of every key (synth refuses
   * otherwise, naming the `npm run seal` command); the base and the previews have none, so there the pods
   * start without them.
   * @default - none
   */
  readonly secrets?: readonly SecretDeclaration[];
  /**
   * Name of the service's ConfigMap.
   * @default - `<name>-config`
   */
  readonly configMapName?: string;
  /** Settings of the base (`base`) and of each settings entry environments name (e.g. `prod`). */
  readonly settings: { readonly base: ServiceSettings } & Readonly<Record<string, ServiceSettings>>;
}
