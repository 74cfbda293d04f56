import { createHash } from 'node:crypto';
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
  SCRATCH_MOUNT_PATH,
  SealedSecret,
  SealedValueSource,
  SealedValues,
  WorkloadSecret,
  checkContainerResources,
  podSpecsOf,
  secretReferencesIn,
  wireSecrets,
} from '../lib';
import { ingressController } from './config';
import { EnvironmentDeclaration } from './environment-declaration';
import { checkSealedTargets, secretNameOf, serviceTargetsOf, tlsSecretNameOf } from './sealed-targets';
import { PeerDeclaration, ServiceDeclaration, ServiceSettings } from './service-declaration';
import { isDnsLabel } from '../lib/manifest/dns-label';

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
  /**
   * The sealed values of the services' secrets in this environment: each declared secret becomes a
   * SealedSecret, and the pods require its Secret.
   * @default - none: the environment-neutral base (and so every preview), which no value is sealed for;
   *   there the pods reference their Secrets as optional and start without them
   */
  readonly sealedValues?: EnvironmentSealedValues;
}

/** Where one environment's sealed values come from. */
export interface EnvironmentSealedValues {
  /** The environment: the folder of its sealed values, its namespace, cluster and certificate names. */
  readonly environment: EnvironmentDeclaration;
  /** The files (or, in tests, anything else) holding them. */
  readonly source: SealedValueSource;
  /**
   * The clusters whose sealing certificate is committed: there, what the platform declares (each Ingress
   * certificate) needs its sealed values too.
   */
  readonly sealingClusters: readonly string[];
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
    const sealingProblems: string[] = [];
    for (const service of props.services) {
      if (this.components.has(service.name)) {
        throw new Error(
          `service "${service.name}" (charts/services.ts): the name is taken (by "${BASELINE}" or another service); give the service another name`,
        );
      }
      const component = new Construct(this, service.name);
      this.components.set(service.name, component);
      workloads.set(service.name, this.addService(component, service, props, sealingProblems));
    }
    if (sealingProblems.length > 0) {
      throw new Error(
        `environment "${props.sealedValues?.environment.name}" lacks sealed values synth needs:\n${sealingProblems.map((line) => `  ${line}`).join('\n')}`,
      );
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
    sealingProblems: string[],
  ): ProductionWorkload {
    const settings = settingsOf(service, props.settings);
    const secrets = secretsOf(service, settings, props.settings);
    const sealed =
      props.sealedValues &&
      checkSealedTargets(
        serviceTargetsOf(service, props.sealedValues.environment),
        props.sealedValues.source,
        props.sealedValues.sealingClusters,
      );
    sealingProblems.push(...(sealed?.problems ?? []));
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
      secrets,
      secretsOptional: props.sealedValues === undefined,
      secretsChecksum: sealed && checksumOf(sealed.values.filter(({ target }) => target.readByPods)),
      ingress: hostLabel
        ? {
            host: props.hosts ? `${hostLabel}.${props.hosts.domain}` : hostLabel,
            tlsSecretName: tlsSecretNameOf(hostLabel, props.hosts?.tlsSecretSuffix),
            className: ingressController.className,
            controllerNamespace: ingressController.namespace,
          }
        : undefined,
    });
    for (const cronJob of service.cronJobs ?? []) {
      workload.addCronJob(cronJob.name, cronJob);
    }
    for (const { target, values } of sealed?.values ?? []) {
      new SealedSecret(scope, `SealedSecret-${values.name}`, {
        ...values,
        namespace: props.namespace,
        labels: workload.podLabels,
        type: target.type,
      });
    }
    checkSecretReferences(scope, service, secrets);
    return workload;
  }
}

/** The service's secrets as the workload reads them, checked (names, keys, variables, files). */
function secretsOf(service: ServiceDeclaration, settings: ServiceSettings, key: string): WorkloadSecret[] {
  const where = `service "${service.name}" (charts/services.ts)`;
  const secrets = (service.secrets ?? []).map((secret) => {
    if (!isDnsLabel(secret.name)) {
      throw new Error(
        `${where}: secret "${secret.name}" is not a DNS label. Fix: name it with lower-case letters, digits and "-"`,
      );
    }
    return { secretName: secretNameOf(service.name, secret.name), keys: secret.keys };
  });
  // Checked here, where the errors name the catalog; the workload renders the same.
  const { env } = wireSecrets(secrets, { optional: false, mountedPaths: [SCRATCH_MOUNT_PATH], where });
  const clash = env.find((variable) => Object.prototype.hasOwnProperty.call(settings.config, variable.name));
  if (clash) {
    const ref = clash.valueFrom?.secretKeyRef;
    throw new Error(
      `${where}: ${clash.name} is both a key of config (settings "${key}") and the variable of key "${ref?.key}" of Secret "${ref?.name}". ` +
        'Fix: drop it from config, or give the secret key another variable',
    );
  }
  return secrets;
}

/**
 * A digest of the sealed values the pods read: changes with any of them, so that the pods roll. The
 * Ingress certificate is left out: the ingress controller reloads it, and a renewal need not roll pods.
 */
function checksumOf(sealed: readonly { values: SealedValues }[]): string | undefined {
  if (sealed.length === 0) return undefined;
  return createHash('sha256')
    .update(
      JSON.stringify(
        sealed.map(({ values: { name, encryptedData } }) => [name, Object.entries(encryptedData).sort()]),
      ),
    )
    .digest('hex')
    .slice(0, 16);
}

/**
 * Every pod spec of the service references only its declared secrets and keys: whatever adds a
 * reference (a construct, a patch), an undeclared one is an error naming the service and the key.
 */
export function checkSecretReferences(
  scope: Construct,
  service: ServiceDeclaration,
  secrets: readonly WorkloadSecret[],
): void {
  const declared = new Map(
    secrets.map((secret) => [secret.secretName, new Set(secret.keys.map(({ key }) => key))]),
  );
  for (const object of scope.node.findAll().filter((node): node is ApiObject => node instanceof ApiObject)) {
    const json = object.toJson() as KubeObject;
    for (const { spec } of podSpecsOf(json)) {
      for (const reference of secretReferencesIn(spec)) {
        const keys = declared.get(reference.secretName);
        if (keys && reference.key !== undefined && keys.has(reference.key)) continue;
        const what =
          reference.key === undefined
            ? `all of Secret "${reference.secretName}"`
            : `key "${reference.key}" of Secret "${reference.secretName}"`;
        throw new Error(
          `service "${service.name}" (charts/services.ts): ${json.kind} ${json.metadata?.name} references ${what} (${reference.at}), which the service does not declare. ` +
            `Fix: declare the key in secrets of "${service.name}" in charts/services.ts (secret <name> is the Secret "${service.name}-<name>"), or remove the reference`,
        );
      }
    }
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
