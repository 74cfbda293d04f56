import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PinnedImage } from './image/image-catalog';
import { INetworkWorkload, NetworkPeer } from './network/network-peer';
import { NetworkPort, portNumberProblem } from './network/network-port';
import { PeerNetworkPolicy, TrafficDirection } from './network/peer-network-policy';
import { SecretWiring, WorkloadSecret, wireSecrets } from './secrets/secret-key-references';
import { ContainerResources } from './workload/container-resources';
import { CommandProbe, renderCommandProbe } from './workload/command-probe';
import { HttpProbe, renderProbe } from './workload/http-probe';
import {
  DEFAULT_RUN_AS_USER,
  SCRATCH_MOUNT_PATH,
  restrictedContainer,
  restrictedPodSpec,
} from './workload/restricted-pod';

const PORT_NAME = 'http';
const NAME_LABEL = 'app.kubernetes.io/name';
/** Changes whenever a mounted ConfigMap changes, so that a config change rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';
/** Changes whenever a sealed value of the workload's Secrets changes, so that a new value rolls the pods. */
export const SECRETS_CHECKSUM_ANNOTATION = 'checksum/secrets';

/** Public HTTP(S) exposure through an Ingress controller. */
export interface WorkloadIngress {
  /** Host name served, e.g. `api.example.com`. */
  readonly host: string;
  /** Secret holding the TLS certificate; created outside Git (e.g. by cert-manager). */
  readonly tlsSecretName: string;
  /** IngressClass that serves the host. */
  readonly className: string;
  /** Namespace of the Ingress controller: the only source allowed to reach the pods. */
  readonly controllerNamespace: string;
}

export interface ProductionWorkloadProps {
  /** Name of the Deployment, Service and every other object of the workload. */
  readonly name: string;
  /** Namespace of every object. */
  readonly namespace: string;
  /** Catalog image the Deployment and every task run; there is no other way to pass a tag. */
  readonly image: PinnedImage;
  /**
   * TCP port the container listens on (1 to 65535): the only port other pods may reach. Without it the
   * workload is a worker: no Service, no Ingress, and nothing may connect to it.
   * @default - a worker, listening on no port
   */
  readonly containerPort?: number;
  /** Number of pods. */
  readonly replicas: number;
  /** CPU and memory of the main container. */
  readonly resources: ContainerResources;
  /**
   * When the pod counts as ready (and a rollout may go on): an HTTP probe, required with
   * `containerPort`, or for a worker a command.
   * @default - a worker: its liveness command, so that a rollout waits for healthy new pods
   */
  readonly readiness?: HttpProbe | CommandProbe;
  /** When the kubelet restarts the container: an HTTP probe on `containerPort`, or a command (a worker). */
  readonly liveness: HttpProbe | CommandProbe;
  /**
   * ConfigMaps exposed to the container as environment variables.
   * @default - none
   */
  readonly configMaps?: readonly k8s.KubeConfigMap[];
  /**
   * Command run instead of the image's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Secrets the containers of every pod of the workload (the Deployment's and its tasks') read, each key
   * as an environment variable or a read-only file (see `wireSecrets`).
   * @default - none
   */
  readonly secrets?: readonly WorkloadSecret[];
  /**
   * Whether a pod may start without its Secrets: a base that previews run, which have no sealed values.
   * @default false
   */
  readonly secretsOptional?: boolean;
  /**
   * A digest of the Secrets' sealed values, set on the pod template as `checksum/secrets`: a new value
   * then rolls the pods (a container reads its environment once, when it starts).
   * @default - no such annotation
   */
  readonly secretsChecksum?: string;
  /**
   * Public exposure. Without it the Service is reachable by nothing: the namespace denies by default.
   * @default - no Ingress, no NetworkPolicy opening the pods
   */
  readonly ingress?: WorkloadIngress;
  /**
   * Numeric user the containers run as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Who else may connect to the pods, on `containerPort`: other workloads, namespaces, IP networks.
   * A workload named here also gets the egress rule to reach this one. More can be added with
   * `allowIngressFrom()`.
   * @default - none: only the Ingress controller (with `ingress`); the namespace denies the rest
   */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * Where the pods may connect to, besides DNS: other workloads, namespaces, IP networks, each on its
   * ports. A workload named here also gets the ingress rule admitting this one. More can be added with
   * `allowEgressTo()`.
   * @default - none: DNS only, as the namespace's default deny allows
   */
  readonly egressTo?: readonly NetworkPeer[];
}

/** A task on the workload's image: a CronJob on a schedule, or a Job run once. */
export interface WorkloadTaskProps {
  /** Name of the CronJob or Job. */
  readonly name: string;
  /** Command run in the workload's image. */
  readonly command: readonly string[];
  /** CPU and memory of the task's container. */
  readonly resources: ContainerResources;
}

export interface WorkloadCronJobProps extends WorkloadTaskProps {
  /** Cron expression in UTC, e.g. `0 3 * * *`. */
  readonly schedule: string;
}

/**
 * A production workload: a Deployment with its ServiceAccount, a PodDisruptionBudget when it runs more
 * than one pod, and for an HTTP service (with `containerPort`) a Service and optionally an Ingress with
 * the NetworkPolicy that admits its controller; plus CronJobs and Jobs on the same image. Every pod is
 * Pod Security "restricted" with a read-only root filesystem and no service-account token.
 */
export class ProductionWorkload extends Construct implements INetworkWorkload {
  public readonly deployment: k8s.KubeDeployment;
  /** `undefined` for a worker. */
  public readonly service: k8s.KubeService | undefined;
  public readonly image: PinnedImage;
  /** Name of the Deployment, Service and every other object of the workload. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Labels that select the workload's pods (not those of its CronJobs and Jobs). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Where the pods listen: `containerPort`, TCP; `undefined` for a worker. */
  public readonly listenPort: NetworkPort | undefined;
  private readonly props: ProductionWorkloadProps;
  private readonly runAsUser: number;
  private readonly secretWiring: SecretWiring;
  private readonly peerPolicies = new Map<TrafficDirection, PeerNetworkPolicy>();

  constructor(scope: Construct, id: string, props: ProductionWorkloadProps) {
    super(scope, id);
    if (!Number.isInteger(props.replicas) || props.replicas < 1) {
      throw new Error(
        `${this.node.path}: replicas must be a whole number of at least 1, got ${props.replicas}`,
      );
    }
    checkListening(props, this.node.path);
    this.props = props;
    this.image = props.image;
    this.name = props.name;
    this.namespace = props.namespace;
    this.podLabels = this.selector;
    this.listenPort = props.containerPort === undefined ? undefined : NetworkPort.tcp(props.containerPort);
    this.runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_USER;
    this.secretWiring = wireSecrets(props.secrets ?? [], {
      optional: props.secretsOptional ?? false,
      mountedPaths: [SCRATCH_MOUNT_PATH],
      where: this.node.path,
    });

    const metadata = this.metadata(props.name);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: this.selector },
        template: {
          metadata: {
            labels: this.selector,
            annotations: {
              [CONFIG_CHECKSUM_ANNOTATION]: this.configChecksum,
              ...(props.secretsChecksum === undefined
                ? {}
                : { [SECRETS_CHECKSUM_ANNOTATION]: props.secretsChecksum }),
            },
          },
          spec: restrictedPodSpec(
            [
              restrictedContainer({
                name: props.name,
                image: props.image.reference,
                command: props.command,
                resources: props.resources,
                ports:
                  props.containerPort === undefined
                    ? undefined
                    : [{ name: PORT_NAME, containerPort: props.containerPort, protocol: 'TCP' }],
                envFrom: this.envFrom,
                env: this.secretWiring.env,
                volumeMounts: this.secretWiring.volumeMounts,
                readinessProbe: this.probe(props.readiness ?? props.liveness, 'readiness'),
                livenessProbe: this.probe(props.liveness, 'liveness'),
              }),
            ],
            {
              serviceAccountName: props.name,
              runAsUser: this.runAsUser,
              volumes: this.secretWiring.volumes,
            },
          ),
        },
      },
    });

    this.service =
      this.listenPort &&
      new k8s.KubeService(this, 'Service', {
        metadata,
        spec: {
          selector: this.selector,
          ports: [
            { name: PORT_NAME, port: 80, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' },
          ],
        },
      });

    // One pod cannot be disrupted by one: a budget would block every node drain.
    if (props.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.selector } },
      });
    }

    if (props.ingress) this.expose(props.ingress);
    for (const peer of props.ingressFrom ?? []) this.allowIngressFrom(peer);
    for (const peer of props.egressTo ?? []) this.allowEgressTo(peer);
  }

  /**
   * Admits `peer` to the pods on `containerPort`, in the NetworkPolicy `<name>-allow-ingress-from-peers`,
   * which it returns. For a workload peer, that workload also gets the egress rule to reach this one.
   * Throws for `NetworkPeer.anyAddress()` (the public comes through `ingress`) and for ports other than
   * `containerPort`.
   */
  public allowIngressFrom(peer: NetworkPeer): ApiObject {
    const where = `${this.node.path}: ingress from ${peer.description}`;
    const listenPort = this.listenPort;
    if (!listenPort) {
      throw new Error(
        `${where}: the workload is a worker and listens on no port, so nothing may connect to it. Fix: drop the peer, or give the workload a containerPort`,
      );
    }
    if (peer.anyAddress) {
      throw new Error(
        `${where}: a workload is never open to any address. Fix: expose it publicly with the ingress prop ` +
          '(through the Ingress controller), or admit the networks it serves with NetworkPeer.cidr(cidr, ports)',
      );
    }
    const stray = (peer.ports ?? []).filter((port) => !port.equals(listenPort));
    if (stray.length > 0) {
      throw new Error(
        `${where}: ports ${stray.join(', ')} are not where the workload listens. Fix: pass ` +
          `[NetworkPort.tcp(${this.props.containerPort})], its containerPort`,
      );
    }
    const policy = this.peerPolicy(TrafficDirection.INGRESS);
    const added = policy.addRule(peer.render(this.namespace), [listenPort]);
    if (added && peer.workload) peer.workload.allowEgressTo(NetworkPeer.workload(this));
    return policy.resource;
  }

  /**
   * Lets the pods connect to `peer` on its ports (a workload: on its `listenPort`), in the NetworkPolicy
   * `<name>-allow-egress-to-peers`, which it returns. For a workload peer, that workload also gets the
   * ingress rule admitting this one.
   */
  public allowEgressTo(peer: NetworkPeer): ApiObject {
    const target = peer.workload;
    if (target && !target.listenPort) {
      throw new Error(
        `${this.node.path}: egress to ${peer.description}: that workload is a worker and listens on no port. Fix: drop the peer`,
      );
    }
    const ports = target?.listenPort ? [target.listenPort] : (peer.ports ?? []);
    const policy = this.peerPolicy(TrafficDirection.EGRESS);
    const added = policy.addRule(peer.render(this.namespace), ports);
    if (added && peer.workload) peer.workload.allowIngressFrom(NetworkPeer.workload(this));
    return policy.resource;
  }

  /** Adds a CronJob running `command` in the workload's image. */
  public addCronJob(id: string, props: WorkloadCronJobProps): k8s.KubeCronJob {
    return new k8s.KubeCronJob(this, id, {
      metadata: this.metadata(props.name),
      spec: {
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: this.jobSpec(props) },
      },
    });
  }

  /** Adds a Job running `command` once in the workload's image. */
  public addJob(id: string, props: WorkloadTaskProps): k8s.KubeJob {
    return new k8s.KubeJob(this, id, { metadata: this.metadata(props.name), spec: this.jobSpec(props) });
  }

  private probe(probe: HttpProbe | CommandProbe, what: string): k8s.Probe {
    return 'command' in probe
      ? renderCommandProbe(probe, `${this.node.path}: ${what}`)
      : renderProbe(probe, PORT_NAME);
  }

  private get selector(): Record<string, string> {
    return { [NAME_LABEL]: this.props.name };
  }

  private get envFrom(): k8s.EnvFromSource[] {
    return (this.props.configMaps ?? []).map((configMap) => ({ configMapRef: { name: configMap.name } }));
  }

  private get configChecksum(): string {
    const data = (this.props.configMaps ?? []).map((configMap) => configMap.toJson().data ?? {});
    return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
  }

  private metadata(name: string): k8s.ObjectMeta {
    return { name, namespace: this.props.namespace, labels: { [NAME_LABEL]: this.props.name } };
  }

  private jobSpec(props: WorkloadTaskProps): k8s.JobSpec {
    const container = restrictedContainer({
      name: props.name,
      image: this.image.reference,
      command: props.command,
      resources: props.resources,
      envFrom: this.envFrom,
      env: this.secretWiring.env,
      volumeMounts: this.secretWiring.volumeMounts,
    });
    return {
      backoffLimit: 2,
      template: {
        metadata: { labels: { [NAME_LABEL]: props.name } },
        spec: restrictedPodSpec([container], {
          serviceAccountName: this.props.name,
          runAsUser: this.runAsUser,
          restartPolicy: 'Never',
          volumes: this.secretWiring.volumes,
        }),
      },
    };
  }

  /** The NetworkPolicy of one direction of peer traffic, created with its first rule. */
  private peerPolicy(direction: TrafficDirection): PeerNetworkPolicy {
    let policy = this.peerPolicies.get(direction);
    if (!policy) {
      const ingress = direction === TrafficDirection.INGRESS;
      policy = new PeerNetworkPolicy(this, ingress ? 'AllowIngressFromPeers' : 'AllowEgressToPeers', {
        name: `${this.props.name}-allow-${ingress ? 'ingress-from' : 'egress-to'}-peers`,
        namespace: this.namespace,
        podLabels: this.selector,
        direction,
        labels: { [NAME_LABEL]: this.props.name },
      });
      this.peerPolicies.set(direction, policy);
    }
    return policy;
  }

  private expose(ingress: WorkloadIngress): void {
    if (!this.listenPort || !this.service) {
      throw new Error(
        `${this.node.path}: a worker listens on no port and cannot be exposed. Fix: drop ingress, or give the workload a containerPort`,
      );
    }
    // Its own object (not a rule of the peer policy): it comes and goes with the Ingress.
    const controller = NetworkPeer.namespace(ingress.controllerNamespace, [this.listenPort]);
    new k8s.KubeNetworkPolicy(this, 'AllowFromIngressController', {
      metadata: this.metadata(`${this.props.name}-allow-ingress-controller`),
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: [TrafficDirection.INGRESS],
        ingress: [{ from: controller.render(this.namespace), ports: [this.listenPort.render()] }],
      },
    });
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: this.metadata(this.props.name),
      spec: {
        ingressClassName: ingress.className,
        tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
        rules: [
          {
            host: ingress.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: this.service.name, port: { name: PORT_NAME } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

/** Throws unless the workload is an HTTP service (port, readiness, HTTP liveness) or a worker (command liveness). */
function checkListening(props: ProductionWorkloadProps, path: string): void {
  const isCommand = (probe: HttpProbe | CommandProbe | undefined): boolean =>
    probe !== undefined && 'command' in probe;
  if (props.containerPort === undefined) {
    if (!isCommand(props.liveness) || (props.readiness && !isCommand(props.readiness))) {
      throw new Error(
        `${path}: a worker (no containerPort) has no port to probe over HTTP. Fix: liveness: { command: [...] } (and a command readiness, or none to reuse it), or set containerPort`,
      );
    }
    return;
  }
  const portProblem = portNumberProblem(props.containerPort, `${path}: containerPort`);
  if (portProblem) throw new Error(portProblem);
  if (!props.readiness || isCommand(props.readiness) || isCommand(props.liveness)) {
    throw new Error(
      `${path}: an HTTP workload (containerPort ${props.containerPort}) needs an HTTP readiness and liveness probe. Fix: readiness: { path: '/readyz' }, liveness: { path: '/healthz' }`,
    );
  }
}
