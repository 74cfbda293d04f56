/**
 * The "services" tree of bench/policy.sh: what a repository of services looks like once its kustomize
 * overlays are rendered, `team/<team>/<service>/<environment>/<kind>.yaml`, one object a file. Each
 * service runs a Deployment behind a Service, with its ConfigMap, ServiceAccount and NetworkPolicies;
 * about half are exposed through an Ingress, a third run a CronJob too, staging and production scale
 * with a HorizontalPodAutoscaler and production keeps a PodDisruptionBudget.
 *
 * Objects are written as a hardened service would be (they pass every rule with the production
 * settings, see charts/policy-options.ts), except about one in thirty, which carries one of the
 * mistakes a review misses: an unpinned or foreign image, a missing probe or limit, a writable root
 * filesystem, a literal password, a misspelled field, a quoted number, a removed API version, no
 * namespace. Everything is derived from the names and a fixed seed: the same count gives the same tree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../charts/config';
import { BenchFile } from './bench-file';

type Json = Record<string, unknown>;

const TEAMS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'catalog',
  'orders',
  'shipping',
  'billing',
  'notifications',
  'analytics',
  'pricing',
  'inventory',
  'support',
  'fraud',
  'ledger',
  'onboarding',
  'messaging',
  'recommendations',
  'reviews',
  'loyalty',
  'partners',
  'media',
  'growth',
  'accounts',
];
const ROLES = [
  'api',
  'worker',
  'web',
  'gateway',
  'scheduler',
  'sync',
  'indexer',
  'events',
  'admin',
  'export',
];
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

/** How often an object carries a mistake. */
const MISTAKE_RATE = 1 / 30;

/** A small deterministic generator (mulberry32): the tree depends on the seed and the names only. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedOf = (text: string): number =>
  [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261);

/** What a service is, decided once by its name: every environment renders the same service. */
interface Service {
  readonly team: string;
  readonly role: string;
  /** `<team>-<role>`. */
  readonly name: string;
  readonly port: number;
  readonly exposed: boolean;
  readonly cron: boolean;
  readonly migrates: boolean;
  readonly configFile: boolean;
  readonly image: string;
}

function serviceOf(team: string, role: string, image: string): Service {
  const draw = random(seedOf(`${team}/${role}`));
  return {
    team,
    role,
    name: `${team}-${role}`,
    port: [8080, 3000, 9000, 8000][Math.floor(draw() * 4)],
    exposed: ['api', 'web', 'gateway', 'admin'].includes(role) || draw() < 0.2,
    cron: draw() < 0.33,
    migrates: draw() < 0.3,
    configFile: draw() < 0.6,
    image,
  };
}

/** Every service: each team runs six to ten of the roles. */
function servicesOf(image: string): Service[] {
  return TEAMS.flatMap((team) => {
    const count = 6 + Math.floor(random(seedOf(team))() * 5);
    return ROLES.slice(0, count).map((role) => serviceOf(team, role, image));
  });
}

/** The one image the production catalog pins (charts/image-pins.json), as CI pushes it. */
function catalogImage(root: string): string {
  const pins = JSON.parse(readFileSync(join(root, 'charts', 'image-pins.json'), 'utf8')) as Record<
    string,
    string
  >;
  const [name, tag] = Object.entries(pins)[0];
  return `${registry}/${name}:${tag}`;
}

const HARDENED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

const POD_SECURITY = {
  fsGroup: 10001,
  runAsGroup: 10001,
  runAsNonRoot: true,
  runAsUser: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

const resources = (cpu: string, memory: string): Json => ({
  limits: { cpu, memory },
  requests: { cpu: cpu === '1' ? '250m' : '100m', memory },
});

/** A rendered overlay of one service in one environment. */
class Overlay {
  readonly namespace: string;
  readonly labels: Json;
  readonly selector: Json;

  constructor(
    readonly service: Service,
    readonly environment: string,
  ) {
    this.namespace = `${service.team}-${environment}`;
    this.selector = { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': service.name };
    this.labels = {
      ...this.selector,
      'app.kubernetes.io/part-of': service.team,
      'app.kubernetes.io/managed-by': 'kustomize',
      'app.kubernetes.io/version': service.image.split(':')[1],
      environment,
      team: service.team,
    };
  }

  metadata(name: string, extra: Json = {}): Json {
    return { name, namespace: this.namespace, labels: this.labels, ...extra };
  }

  get replicas(): number {
    return this.environment === 'prod' ? 3 : this.environment === 'staging' ? 2 : 1;
  }

  container(name: string, args: string[], long: boolean): Json {
    const { service } = this;
    const probe = (path: string, period: number): Json => ({
      httpGet: { path, port: 'http', scheme: 'HTTP' },
      periodSeconds: period,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    return {
      name,
      image: service.image,
      imagePullPolicy: 'IfNotPresent',
      args,
      ...(long && {
        ports: [
          { name: 'http', containerPort: service.port, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
        ],
      }),
      env: [
        { name: 'APP_ENV', value: this.environment },
        { name: 'LOG_FORMAT', value: 'json' },
        { name: 'HTTP_PORT', value: String(service.port) },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${service.name}-db`, key: 'password' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability:4317' },
      ],
      envFrom: [{ configMapRef: { name: `${service.name}-config` } }],
      ...(long && {
        livenessProbe: probe('/healthz', 10),
        readinessProbe: probe('/readyz', 5),
        startupProbe: { ...probe('/healthz', 5), failureThreshold: 30 },
      }),
      resources: long ? resources('1', '512Mi') : resources('500m', '256Mi'),
      securityContext: HARDENED,
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        ...(service.configFile ? [{ name: 'config', mountPath: '/etc/app', readOnly: true }] : []),
      ],
    };
  }

  podSpec(containers: Json[], extra: Json = {}): Json {
    const { service } = this;
    return {
      serviceAccountName: service.name,
      automountServiceAccountToken: false,
      securityContext: POD_SECURITY,
      terminationGracePeriodSeconds: 30,
      ...extra,
      containers,
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...(service.configFile ? [{ name: 'config', configMap: { name: `${service.name}-config` } }] : []),
      ],
    };
  }

  deployment(): Json {
    const { service } = this;
    const init = service.migrates ? [this.container('migrate', ['migrate', 'up'], false)] : [];
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.metadata(service.name),
      spec: {
        replicas: this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: {
            labels: this.labels,
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': '9090',
              'checksum/config': (seedOf(`${service.name}/${this.environment}`) >>> 0).toString(16),
            },
          },
          spec: this.podSpec([this.container('app', [`--port=${service.port}`], true)], {
            ...(init.length > 0 && { initContainers: init }),
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: this.selector },
              },
            ],
          }),
        },
      },
    };
  }

  cronJob(): Json {
    const { service } = this;
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this.metadata(`${service.name}-nightly`),
      spec: {
        schedule: `${seedOf(service.name) % 60} 3 * * *`,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3600,
            template: {
              metadata: { labels: this.labels },
              spec: this.podSpec([this.container('nightly', ['nightly', '--older-than=720h'], false)], {
                restartPolicy: 'OnFailure',
              }),
            },
          },
        },
      },
    };
  }

  kubernetesService(): Json {
    const { service } = this;
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata(service.name),
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
      },
    };
  }

  serviceAccount(): Json {
    return {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.metadata(this.service.name),
      automountServiceAccountToken: false,
    };
  }

  configMap(): Json {
    const { service, environment } = this;
    const file = [
      'server:',
      `  port: ${service.port}`,
      '  shutdownTimeout: 20s',
      'database:',
      `  url: postgres://${service.team}-db.${this.namespace}:5432/${service.team.replace(/-/g, '_')}`,
      '  maxOpenConnections: 20',
      'cache:',
      '  ttl: 5m',
      `  endpoint: redis://${service.team}-cache.${this.namespace}:6379/0`,
      'features:',
      `  newCheckout: ${environment !== 'prod'}`,
      '',
    ].join('\n');
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: this.metadata(`${service.name}-config`),
      data: {
        LOG_LEVEL: environment === 'prod' ? 'info' : 'debug',
        FEATURE_FLAGS: 'search-v2,fast-refunds',
        REQUEST_TIMEOUT: '15s',
        UPSTREAM_URL: `http://${service.team}-gateway.${this.namespace}.svc.cluster.local`,
        ...(service.configFile && { 'application.yaml': file }),
      },
    };
  }

  networkPolicies(): Json[] {
    const { service } = this;
    const policy = (name: string, from: Json[], port: number | string): Json => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this.metadata(`${service.name}-${name}`),
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: [{ port, protocol: 'TCP' }] }],
      },
    });
    return [
      policy('allow-team', [{ podSelector: { matchLabels: { team: service.team } } }], service.port),
      ...(service.exposed
        ? [
            policy(
              'allow-ingress',
              [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
              service.port,
            ),
          ]
        : []),
    ];
  }

  ingress(): Json {
    const { service, environment } = this;
    const host = `${service.name}.${environment === 'prod' ? '' : `${environment}.`}example.com`;
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: this.metadata(service.name, {
        annotations: {
          'cert-manager.io/cluster-issuer': 'letsencrypt',
          'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
        },
      }),
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [host], secretName: `${service.name}-tls` }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: service.name, port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    };
  }

  autoscaler(): Json {
    return {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata(this.service.name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.service.name },
        minReplicas: this.replicas,
        maxReplicas: this.replicas * 4,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    };
  }

  disruptionBudget(): Json {
    return {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this.metadata(this.service.name),
      spec: { maxUnavailable: 1, selector: { matchLabels: this.selector } },
    };
  }

  /** Every object of the overlay, each with the name of its file. */
  files(): [string, Json][] {
    const { service, environment } = this;
    return [
      ['deployment.yaml', this.deployment()],
      ['service.yaml', this.kubernetesService()],
      ['serviceaccount.yaml', this.serviceAccount()],
      ['configmap.yaml', this.configMap()],
      ...this.networkPolicies().map((policy): [string, Json] => [
        `networkpolicy-${String((policy.metadata as Json).name).slice(service.name.length + 1)}.yaml`,
        policy,
      ]),
      ...(service.exposed ? [['ingress.yaml', this.ingress()] as [string, Json]] : []),
      ...(service.cron ? [['cronjob.yaml', this.cronJob()] as [string, Json]] : []),
      ...(environment !== 'dev' ? [['hpa.yaml', this.autoscaler()] as [string, Json]] : []),
      ...(environment === 'prod' ? [['pdb.yaml', this.disruptionBudget()] as [string, Json]] : []),
    ];
  }
}

const containersAt = (object: Json): Json[] => {
  const spec = object.spec as Json;
  const template = (
    object.kind === 'CronJob' ? ((spec.jobTemplate as Json).spec as Json).template : spec.template
  ) as Json;
  return (template.spec as Json).containers as Json[];
};

/** The mistakes a review lets through, by kind; each breaks one or two rules. */
const MISTAKES: Readonly<Record<string, readonly ((object: Json) => void)[]>> = {
  Deployment: [
    (object) =>
      (containersAt(object)[0].image = String(containersAt(object)[0].image).replace(/:.*/, ':latest')),
    (object) => (containersAt(object)[0].image = 'docker.io/library/nginx:1.27'),
    (object) => delete containersAt(object)[0].livenessProbe,
    (object) => delete (containersAt(object)[0].resources as Json).limits,
    (object) => (containersAt(object)[0].securityContext = { ...HARDENED, readOnlyRootFilesystem: false }),
    (object) => {
      const [container] = containersAt(object);
      container.imagePullpolicy = container.imagePullPolicy;
      delete container.imagePullPolicy;
    },
    (object) => ((object.spec as Json).replicas = String((object.spec as Json).replicas)),
    (object) => (containersAt(object)[0].env as Json[]).push({ name: 'API_TOKEN', value: 'tok_3f9a7c21e8' }),
  ],
  CronJob: [
    (object) => delete (containersAt(object)[0].resources as Json).limits,
    (object) =>
      (containersAt(object)[0].image = String(containersAt(object)[0].image).replace(/:.*/, ':main')),
  ],
  ConfigMap: [(object) => ((object.data as Json).DB_PASSWORD = 'Sup3rS3cret!')],
  Service: [(object) => ((object.spec as Json).clusterIp = 'None')],
  NetworkPolicy: [
    (object) => {
      const spec = object.spec as Json;
      spec.podSelecter = spec.podSelector;
      delete spec.podSelector;
    },
  ],
  Ingress: [(object) => delete (object.metadata as Json).namespace],
  HorizontalPodAutoscaler: [(object) => (object.apiVersion = 'autoscaling/v2beta2')],
  PodDisruptionBudget: [(object) => (object.apiVersion = 'policy/v1beta1')],
};

/**
 * The first `count` files of the tree: overlays of every service in every environment, in order of
 * team, service and environment, until `count` files are written.
 */
export function servicesTree(root: string, count: number): BenchFile[] {
  const image = catalogImage(root);
  const services = servicesOf(image);
  const draw = random(19);
  const files: BenchFile[] = [];
  for (let round = 0; files.length < count; round++) {
    for (const service of services) {
      for (const environment of ENVIRONMENTS) {
        // Past the last service, the tree grows by more teams like the first (`payments-2/…`).
        const team = round === 0 ? service.team : `${service.team}-${round + 1}`;
        const renamed = { ...service, team, name: `${team}-${service.role}` };
        const overlay = new Overlay(renamed, environment);
        for (const [file, object] of overlay.files()) {
          if (files.length === count) return files;
          const mistakes = MISTAKES[String(object.kind)] ?? [];
          if (mistakes.length > 0 && draw() < MISTAKE_RATE)
            mistakes[Math.floor(draw() * mistakes.length)](object);
          files.push({
            path: join('team', renamed.team, renamed.name, environment, file),
            objects: [object],
          });
        }
      }
    }
  }
  return files;
}
