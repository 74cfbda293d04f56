import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import {
  DefaultDenyNetworkPolicy,
  ImageCatalog,
  KubeObject,
  NetworkPeer,
  NetworkPort,
  ProductionWorkload,
  checkContainerResources,
} from '../lib';
import { ingressController } from './config';
import { PeerDeclaration, ServiceDeclaration, ServiceSettings } from './service-declaration';

/** The component holding what belongs to a namespace rather than to one service: the default deny. */
export const BASELINE = 'baseline';

/** Public hosts: `<label>.<domain>`, certificate `<label>-<tlsSecretSuffix>`. */
export interface EnvironmentHosts {
  readonly domain: string;
  readonly tlsSecretSuffix: string;
}

export interface EnvironmentChartProps {
  readonly services: readonly ServiceDeclaration[];
  /** The image of each service, by service name. */
  readonly images: ImageCatalog<string>;
  /** Namespace of every object. */
  readonly namespace: string;
  /** The settings entry of each service to run with: `base`, or an environment's. */
  readonly settings: string;
  /**
   * Where the public hosts live.
   * @default - the environment-neutral base: host `<label>`, certificate `<label>-tls`
   */
  readonly hosts?: EnvironmentHosts;
}

/**
 * Every service of the catalog in one namespace, with its baseline: what the base, one environment or
 * a preview runs. Services name their peers by name, so they are built side by side; `objectsOf` then
 * gives each component's own objects, which become its folder and its Application.
 */
export class EnvironmentChart extends Chart {
  private readonly components = new Map<string, IConstruct>();

  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const baseline = new Construct(this, BASELINE);
    new DefaultDenyNetworkPolicy(baseline, 'DefaultDeny', { namespace: props.namespace });
    this.components.set(BASELINE, baseline);

    const workloads = new Map<string, ProductionWorkload>();
    for (const service of props.services) {
      if (this.components.has(service.name)) {
        throw new Error(
          `service "${service.name}" (charts/services.ts): the name is taken (by "${BASELINE}" or another service); give the service another name`,
        );
      }
      const component = new Construct(this, service.name);
      this.components.set(service.name, component);
      workloads.set(service.name, this.addService(component, service, props));
    }
    for (const service of props.services) {
      const workload = workloads.get(service.name) as ProductionWorkload;
      const peer = (declared: PeerDeclaration): NetworkPeer => peerOf(declared, service.name, workloads);
      for (const declared of service.reaches ?? []) workload.allowEgressTo(peer(declared));
      for (const declared of service.reachedBy ?? []) workload.allowIngressFrom(peer(declared));
    }
  }

  /** Names of the components, baseline first, then the services in catalog order. */
  public get componentNames(): string[] {
    return [...this.components.keys()];
  }

  /** The objects of one component (`BASELINE` or a service's name), in the order they were declared. */
  public objectsOf(component: string): KubeObject[] {
    const scope = this.components.get(component);
    if (!scope) throw new Error(`no component "${component}" in chart ${this.node.id}`);
    return scope.node
      .findAll()
      .filter((node): node is ApiObject => node instanceof ApiObject)
      .map((object) => object.toJson() as KubeObject);
  }

  private addService(
    scope: Construct,
    service: ServiceDeclaration,
    props: EnvironmentChartProps,
  ): ProductionWorkload {
    const settings = settingsOf(service, props.settings);
    const namespace = props.namespace;
    const configMap = new k8s.KubeConfigMap(scope, 'Config', {
      metadata: { name: service.configMapName ?? `${service.name}-config`, namespace },
      data: { ...settings.config },
    });
    const image = props.images[service.name];
    if (!image) throw new Error(`service "${service.name}" has no image in the catalog`);
    const http = service.workload.kind === 'http' ? service.workload : undefined;
    if (service.ingress && !http) {
      throw new Error(
        `service "${service.name}" (charts/services.ts) is a worker and has an ingress: a worker listens on no port. Fix: drop ingress, or make it an HTTP workload`,
      );
    }
    const hostLabel = service.ingress?.hostLabel;
    const workload = new ProductionWorkload(scope, 'Workload', {
      name: service.name,
      namespace,
      image,
      containerPort: http?.port,
      replicas: settings.replicas,
      resources: settings.resources,
      readiness: service.workload.readiness,
      liveness: service.workload.liveness,
      command: service.command,
      configMaps: [configMap],
      ingress: hostLabel
        ? {
            host: props.hosts ? `${hostLabel}.${props.hosts.domain}` : hostLabel,
            tlsSecretName: `${hostLabel}-${props.hosts?.tlsSecretSuffix ?? 'tls'}`,
            className: ingressController.className,
            controllerNamespace: ingressController.namespace,
          }
        : undefined,
    });
    for (const cronJob of service.cronJobs ?? []) {
      workload.addCronJob(cronJob.name, cronJob);
    }
    return workload;
  }
}

/** The settings `key` of `service`, checked; a missing entry names the fix. */
function settingsOf(service: ServiceDeclaration, key: string): ServiceSettings {
  const settings = service.settings[key];
  if (!settings) {
    throw new Error(
      `service "${service.name}" (charts/services.ts) has no settings "${key}": add settings.${key} (replicas, resources, config), or let the environment use another entry with settings: '<entry>' in charts/environments.ts`,
    );
  }
  checkContainerResources(
    settings.resources,
    `service "${service.name}", settings "${key}" (charts/services.ts)`,
  );
  return settings;
}

/** A declared peer as a NetworkPeer; another service by name resolves to its workload. */
function peerOf(
  declared: PeerDeclaration,
  from: string,
  workloads: ReadonlyMap<string, ProductionWorkload>,
): NetworkPeer {
  if ('service' in declared) {
    const workload = workloads.get(declared.service);
    if (!workload) {
      throw new Error(
        `service "${from}" (charts/services.ts) names peer service "${declared.service}", which the catalog does not have: known are ${[...workloads.keys()].join(', ')}`,
      );
    }
    return NetworkPeer.workload(workload);
  }
  const ports = declared.ports.map((port) => NetworkPort.tcp(port));
  return 'namespace' in declared
    ? NetworkPeer.namespace(declared.namespace, ports)
    : NetworkPeer.cidr(declared.cidr, ports);
}
