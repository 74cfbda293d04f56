import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  KubeObject,
  NetworkPeer,
  NetworkPort,
  PinnedImage,
  ProductionWorkload,
  ProductionWorkloadProps,
} from '../../../lib';
import { validateKubernetesSchema } from '../../helpers/kubernetes-schema';

const image: PinnedImage = {
  name: 'app',
  repository: 'ghcr.io/acme/app',
  tag: 'sha-0a1b2c3',
  reference: 'ghcr.io/acme/app:sha-0a1b2c3',
};

function workload(
  scope: Construct,
  name: string,
  overrides: Partial<ProductionWorkloadProps> = {},
): ProductionWorkload {
  return new ProductionWorkload(scope, name, {
    name,
    namespace: 'shop',
    image,
    containerPort: 8080,
    replicas: 2,
    resources: {
      cpuRequest: Cpu.millis(100),
      cpuLimit: Cpu.millis(200),
      memoryRequest: Size.mebibytes(64),
      memoryLimit: Size.mebibytes(128),
    },
    readiness: { path: '/readyz' },
    liveness: { path: '/healthz' },
    ...overrides,
  });
}

const newChart = (): Chart => new Chart(Testing.app(), 'Test', { disableResourceNameHashes: true });
const networkPolicies = (chart: Chart): KubeObject[] =>
  Testing.synth(chart).filter((object) => object.kind === 'NetworkPolicy');
const named = (chart: Chart, name: string): Record<string, unknown> | undefined =>
  networkPolicies(chart).find((policy) => policy.metadata?.name === name) as
    Record<string, unknown> | undefined;

describe('NetworkPeer', () => {
  test('a workload with no peers and no Ingress gets no NetworkPolicy: the namespace default deny holds', () => {
    // given
    const chart = newChart();
    // when
    workload(chart, 'api');
    // then
    expect(networkPolicies(chart)).toEqual([]);
  });

  test('egress to a workload in the same namespace: egress rule on the caller, ingress rule on the callee', () => {
    // given
    const chart = newChart();
    const orders = workload(chart, 'orders', { containerPort: 9000 });
    // when
    workload(chart, 'api', { egressTo: [NetworkPeer.workload(orders)] });
    // then
    expect(named(chart, 'api-allow-egress-to-peers')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'api-allow-egress-to-peers',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'api' },
      },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } }],
            ports: [{ port: 9000, protocol: 'TCP' }],
          },
        ],
      },
    });
    expect(named(chart, 'orders-allow-ingress-from-peers')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'orders-allow-ingress-from-peers',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'orders' },
      },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
            ports: [{ port: 9000, protocol: 'TCP' }],
          },
        ],
      },
    });
  });

  test('declaring a connection from both ends, in either order, renders each rule once', () => {
    // given
    const chart = newChart();
    const orders = workload(chart, 'orders');
    const api = workload(chart, 'api', { egressTo: [NetworkPeer.workload(orders)] });
    // when
    orders.allowIngressFrom(NetworkPeer.workload(api));
    api.allowEgressTo(NetworkPeer.workload(orders));
    // then
    const spec = (name: string) => named(chart, name)?.spec as { egress?: unknown[]; ingress?: unknown[] };
    expect(spec('api-allow-egress-to-peers').egress).toHaveLength(1);
    expect(spec('orders-allow-ingress-from-peers').ingress).toHaveLength(1);
    expect(networkPolicies(chart)).toHaveLength(2);
  });

  test('a workload in another namespace is selected by namespace and pod labels together', () => {
    // given
    const chart = newChart();
    const payments = workload(chart, 'payments', { namespace: 'payments', containerPort: 8443 });
    // when
    workload(chart, 'api', { egressTo: [NetworkPeer.workload(payments)] });
    // then
    expect(named(chart, 'api-allow-egress-to-peers')?.spec).toMatchObject({
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } },
            },
          ],
          ports: [{ port: 8443, protocol: 'TCP' }],
        },
      ],
    });
    expect(named(chart, 'payments-allow-ingress-from-peers')).toMatchObject({
      metadata: { namespace: 'payments' },
      spec: {
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
              },
            ],
            ports: [{ port: 8443, protocol: 'TCP' }],
          },
        ],
      },
    });
  });

  test('a namespace by name, namespaces by labels and CIDRs, each with its ports, in declaration order', () => {
    // given
    const chart = newChart();
    // when
    workload(chart, 'api', {
      ingressFrom: [
        NetworkPeer.namespace('monitoring', [NetworkPort.tcp(8080)]),
        NetworkPeer.cidr('192.168.10.0/24', [NetworkPort.tcp(8080)]),
      ],
      egressTo: [
        NetworkPeer.namespacesWithLabels({ 'example.com/team': 'data' }, [NetworkPort.tcp(5432)]),
        NetworkPeer.cidr('10.20.0.0/16', [NetworkPort.tcp(5432), NetworkPort.udp(5432)]),
        NetworkPeer.cidr('FD00:0::/8', [NetworkPort.tcp(443)]),
        NetworkPeer.anyAddress([NetworkPort.tcp(443)]),
      ],
    });
    // then
    expect(named(chart, 'api-allow-ingress-from-peers')?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
        { from: [{ ipBlock: { cidr: '192.168.10.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
    });
    expect(named(chart, 'api-allow-egress-to-peers')?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'example.com/team': 'data' } } }],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
        {
          to: [{ ipBlock: { cidr: '10.20.0.0/16' } }],
          ports: [
            { port: 5432, protocol: 'TCP' },
            { port: 5432, protocol: 'UDP' },
          ],
        },
        { to: [{ ipBlock: { cidr: 'fd00::/8' } }], ports: [{ port: 443, protocol: 'TCP' }] },
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
          ports: [{ port: 443, protocol: 'TCP' }],
        },
      ],
    });
  });

  test('every NetworkPolicy it renders is valid against the Kubernetes schema', () => {
    // given
    const chart = newChart();
    const orders = workload(chart, 'orders', { namespace: 'orders' });
    workload(chart, 'api', {
      ingress: {
        host: 'api.example.com',
        tlsSecretName: 'api-tls',
        className: 'nginx',
        controllerNamespace: 'ingress-nginx',
      },
      ingressFrom: [NetworkPeer.namespace('monitoring', [NetworkPort.tcp(8080)])],
      egressTo: [
        NetworkPeer.workload(orders),
        NetworkPeer.namespacesWithLabels({ team: 'data' }, [NetworkPort.tcp(5432)]),
        NetworkPeer.cidr('10.20.0.0/16', [NetworkPort.udp(5432)]),
        NetworkPeer.anyAddress([NetworkPort.tcp(443)]),
      ],
    });
    // when
    const policies = networkPolicies(chart);
    // then
    expect(policies.map((policy) => policy.metadata?.name).sort()).toEqual([
      'api-allow-egress-to-peers',
      'api-allow-ingress-controller',
      'api-allow-ingress-from-peers',
      'orders-allow-ingress-from-peers',
    ]);
    for (const policy of policies) expect(() => validateKubernetesSchema(policy)).not.toThrow();
  });

  test('the Ingress controller policy keeps its own object and its exact form', () => {
    // given
    const chart = newChart();
    // when
    workload(chart, 'api', {
      ingress: {
        host: 'api.example.com',
        tlsSecretName: 'api-tls',
        className: 'nginx',
        controllerNamespace: 'ingress-nginx',
      },
    });
    // then
    expect(networkPolicies(chart)).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: 'api-allow-ingress-controller',
          namespace: 'shop',
          labels: { 'app.kubernetes.io/name': 'api' },
        },
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
              ],
              ports: [{ port: 8080, protocol: 'TCP' }],
            },
          ],
        },
      },
    ]);
  });
});

describe('NetworkPeer refuses bad input at once, naming the argument, the value and the fix', () => {
  test.each([
    [
      'fails on a CIDR that is not a CIDR',
      () => NetworkPeer.cidr('10.0.0.300/8', [NetworkPort.tcp(443)]),
      "NetworkPeer.cidr(cidr, ports): '10.0.0.300/8' is not a CIDR: '10.0.0.300' is not an IPv4 or IPv6 address. Fix: e.g. '10.0.0.0/8' or 'fd00::/8'",
    ],
    [
      'fails on an address without a prefix',
      () => NetworkPeer.cidr('10.1.2.3', [NetworkPort.tcp(443)]),
      "NetworkPeer.cidr(cidr, ports): '10.1.2.3' is not a CIDR: a CIDR is an address, a slash and a prefix length. Fix: e.g. '10.0.0.0/8' or '10.1.2.3/32'",
    ],
    [
      'fails on host bits after the prefix, suggesting the network',
      () => NetworkPeer.cidr('10.1.2.3/8', [NetworkPort.tcp(443)]),
      "NetworkPeer.cidr(cidr, ports): '10.1.2.3/8' is not a CIDR: bits after /8 are set, so it names the network 10.0.0.0/8. Fix: write the network '10.0.0.0/8', or '10.1.2.3/32' for that one address",
    ],
    [
      'fails on 0.0.0.0/0, pointing at NetworkPeer.anyAddress',
      () => NetworkPeer.cidr('0.0.0.0/0', [NetworkPort.tcp(443)]),
      "NetworkPeer.cidr(cidr, ports): '0.0.0.0/0' is every IPv4 address. Fix: name the network the workload needs, or, if it really must reach any address, say so with NetworkPeer.anyAddress(ports)",
    ],
    [
      'fails on ::/0 as well',
      () => NetworkPeer.cidr('::/0', [NetworkPort.tcp(443)]),
      "NetworkPeer.cidr(cidr, ports): '::/0' is every IPv6 address.",
    ],
    [
      'fails on an empty port list, which would open every port',
      () => NetworkPeer.cidr('10.0.0.0/8', []),
      'NetworkPeer.cidr(cidr, ports): ports must list at least one NetworkPort, got []; a rule without ports would open every port. Fix: e.g. [NetworkPort.tcp(5432)]',
    ],
    [
      'fails on a namespace name that is not one',
      () => NetworkPeer.namespace('Monitoring', [NetworkPort.tcp(8080)]),
      "NetworkPeer.namespace(name): 'Monitoring' is not a namespace name. Fix: a lowercase DNS label",
    ],
    [
      'fails on an empty label set, which selects every namespace',
      () => NetworkPeer.namespacesWithLabels({}, [NetworkPort.tcp(8080)]),
      'NetworkPeer.namespacesWithLabels(labels, ports): labels is empty, which selects every namespace of the cluster.',
    ],
    [
      'fails on a label value that is not one',
      () => NetworkPeer.namespacesWithLabels({ team: 'data team' }, [NetworkPort.tcp(8080)]),
      'NetworkPeer.namespacesWithLabels(labels, ports): {"team":"data team"} is not a valid label.',
    ],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('fails on ingress from any address: the public comes through the Ingress', () => {
    // given
    const chart = newChart();
    // then
    expect(() =>
      workload(chart, 'api', { ingressFrom: [NetworkPeer.anyAddress([NetworkPort.tcp(8080)])] }),
    ).toThrow(
      'Test/api: ingress from any address: a workload is never open to any address. Fix: expose it publicly with the ingress prop',
    );
  });

  test('fails on an ingress peer asking for a port the workload does not listen on', () => {
    // given
    const chart = newChart();
    // then
    expect(() =>
      workload(chart, 'api', { ingressFrom: [NetworkPeer.namespace('monitoring', [NetworkPort.tcp(9090)])] }),
    ).toThrow(
      "Test/api: ingress from namespace 'monitoring': ports TCP 9090 are not where the workload listens. Fix: pass [NetworkPort.tcp(8080)], its containerPort",
    );
  });

  test.each([0, 65536, 80.5])('fails on containerPort %s, naming the construct', (containerPort) => {
    // given
    const chart = newChart();
    // then
    expect(() => workload(chart, 'api', { containerPort })).toThrow(
      `Test/api: containerPort must be a whole number from 1 to 65535, got ${containerPort}. Fix: pass the port number the server listens on, e.g. 8080`,
    );
  });
});
