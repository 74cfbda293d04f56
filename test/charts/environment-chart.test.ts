import { production } from '../../charts/environments';
import { IN_CLUSTER } from '../../charts/environment-declaration';
import { buildModel } from '../../charts/app';
import { ServiceDeclaration } from '../../charts/service-declaration';
import { services } from '../../charts/services';

const [backend] = services as readonly ServiceDeclaration[];
const worker: ServiceDeclaration = {
  ...backend,
  name: 'worker',
  workload: { kind: 'worker', liveness: { command: ['/app/worker', 'healthcheck'] } },
  ingress: undefined,
  cronJobs: undefined,
  configMapName: undefined,
};
const withCatalog = (catalog: ServiceDeclaration[]) => () =>
  buildModel({
    services: catalog,
    imagePins: Object.fromEntries(catalog.map((service) => [service.name, 'sha-0a1b2c3'])),
  });

describe('the catalog refuses what it cannot generate, naming the service, the file and the fix', () => {
  test.each<[string, ServiceDeclaration[], RegExp]>([
    [
      'a peer service the catalog does not have',
      [backend, { ...worker, reaches: [{ service: 'billing' }] }],
      /service "worker" \(charts\/services\.ts\) names peer service "billing", which the catalog does not have: known are backend, worker/,
    ],
    [
      'a worker with an ingress',
      [backend, { ...worker, ingress: { hostLabel: 'jobs' } }],
      /service "worker" \(charts\/services\.ts\) is a worker and has an ingress: a worker listens on no port/,
    ],
    [
      'a service reaching a worker, which listens on no port',
      [{ ...backend, reaches: [{ service: 'worker' }] }, worker],
      /egress to workload \S+\/worker: that workload is a worker and listens on no port/,
    ],
    [
      'a service named like the baseline',
      [backend, { ...worker, name: 'baseline' }],
      /service "baseline" \(charts\/services\.ts\): the name is taken/,
    ],
    [
      "a service named like the previews' folder",
      [backend, { ...worker, name: 'preview' }],
      /service "preview" \(charts\/services\.ts\): the name is taken by the previews' folder/,
    ],
  ])('%s', (_what, catalog, message) => {
    expect(withCatalog(catalog)).toThrow(message);
  });

  // An environment beside the platform's Secrets: with a service named to match, a copied sealed value of
  // ArgoCD's (repository-production-infra) would decrypt into its pods.
  test.each(['argocd', 'sealed-secrets', 'kube-system', 'default'])(
    "an environment in namespace %s, the platform's, is refused",
    (namespace) => {
      expect(() =>
        buildModel({ environments: [production, { ...production, name: 'ops', namespace }] }),
      ).toThrow(`environment "ops" (charts/environments.ts): namespace "${namespace}" is the platform's`);
    },
  );

  test('two cluster names for one API server are refused: the checks of one cluster would run apart', () => {
    const alias = {
      ...production,
      name: 'ops',
      namespace: 'ops',
      cluster: { name: 'local', server: IN_CLUSTER.server },
    };
    expect(() => buildModel({ environments: [production, alias] })).toThrow(
      'environments (charts/environments.ts): clusters "in-cluster" and "local" are one API server (https://kubernetes.default.svc)',
    );
  });

  test('the same catalog without the mistake builds (each case above fails for its own reason)', () => {
    expect(withCatalog([backend, { ...worker, reaches: [{ service: 'backend' }] }])).not.toThrow();
  });
});
