import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { loadManifests } from '../../../lib/policy/load-manifests';
import { isApiObject } from '../../../lib/manifest/object-id';
import { ClientCertificate, Identity, mintClientCertificate } from './client-certificate';
import { ApiError, ApiObject, ClusterClient, apiErrorOf } from './cluster-client';
import { ClusterTestEnv, clusterTestEnv } from './cluster-env';
import { waitUntil } from '../../helpers/wait-until';
import {
  GENERATED_FOLDERS,
  GeneratedObject,
  ManifestSet,
  PROD_SET,
  generatedManifestSets,
} from './generated-manifests';

/** Retries `probe` every 250 ms until it returns a value other than `undefined`; throws `what` after `seconds`. */
export function eventually<T>(
  what: string,
  seconds: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  return waitUntil(what, probe, seconds * 1000);
}

export { PROD_SET };

/**
 * A namespace, a ValidatingAdmissionPolicy and its binding that deny one ConfigMap name. Created after
 * the policies under test: once it denies, the API server's admission plugin has loaded every policy and
 * binding created before it (they reach it through the same ordered watch).
 */
const SENTINEL = 'cluster-test-sentinel';
const sentinelObjects = (): ApiObject[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SENTINEL } },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: SENTINEL },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
        ],
      },
      validations: [{ expression: `object.metadata.name != '${SENTINEL}'`, message: 'sentinel' }],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: SENTINEL },
    spec: {
      policyName: SENTINEL,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': SENTINEL } } },
    },
  },
];

const certificates = new Map<string, ClientCertificate>();

/**
 * The state every test file starts from, reached idempotently (server-side apply) so each file can also
 * run alone: ArgoCD's CRDs installed, every generated Namespace and `infra/cluster/` object applied for
 * real (RBAC, admission policies), the namespaces our objects need but do not declare created as the
 * platform would, a `default` ServiceAccount in each (the controller-manager's job; none runs here), the
 * admission policies loaded, and production synced from the prod overlay as ArgoCD would.
 */
export class ClusterFixture {
  private constructor(
    readonly env: ClusterTestEnv,
    readonly admin: ClusterClient,
    readonly sets: readonly ManifestSet[],
  ) {}

  static async prepare(): Promise<ClusterFixture> {
    const env = clusterTestEnv();
    const fixture = new ClusterFixture(
      env,
      ClusterClient.fromKubeconfigFile(env.kubeconfig),
      generatedManifestSets(),
    );
    await fixture.installArgoCdCrds();
    await fixture.applyAll(fixture.namespaceObjects());
    await fixture.applyAll(fixture.set(GENERATED_FOLDERS.cluster).objects.map(({ object }) => object));
    await fixture.waitForAdmissionPolicies();
    await fixture.applyAll(fixture.set(PROD_SET).objects.map(({ object }) => object));
    return fixture;
  }

  /** The set named `name`; throws when the repository does not generate it. */
  set(name: string): ManifestSet {
    const found = this.sets.find((s) => s.name === name);
    if (!found) {
      throw new Error(
        `no generated set "${name}"; the repository generates: ${this.sets.map((s) => s.name).join(', ')}`,
      );
    }
    return found;
  }

  /** Every generated object, set by set. */
  allObjects(): GeneratedObject[] {
    return this.sets.flatMap((s) => s.objects);
  }

  /** Namespaces some generated object lives in that no generated Namespace declares. */
  undeclaredNamespaces(): string[] {
    const objects = this.allObjects().map(({ object }) => object);
    const declared = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
    const used = objects.map((o) => o.metadata?.namespace).filter((n): n is string => n !== undefined);
    return [...new Set(used)].filter((n) => !declared.has(n)).sort();
  }

  /** A client authenticated as `identity` by a client certificate of the test CA. */
  as(identity: Identity): ClusterClient {
    const key = `${identity.user}|${[...identity.groups].sort().join(',')}`;
    let certificate = certificates.get(key);
    if (!certificate) {
      certificate = mintClientCertificate(this.env.caCert, this.env.caKey, this.env.scratch, identity);
      certificates.set(key, certificate);
    }
    return this.admin.withCertificate(certificate, identity.user);
  }

  private namespaceObjects(): ApiObject[] {
    const declared = this.allObjects()
      .map(({ object }) => object)
      .filter((o) => o.kind === 'Namespace');
    const platform = this.undeclaredNamespaces().map((name): ApiObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    }));
    const names = [...declared, ...platform].map((ns) => ns.metadata?.name as string);
    const defaultAccounts = names.map((namespace): ApiObject => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    }));
    return [...declared, ...platform, ...defaultAccounts];
  }

  private async applyAll(objects: readonly ApiObject[]): Promise<void> {
    for (const object of objects) await this.admin.apply(object);
  }

  private async installArgoCdCrds(): Promise<void> {
    const dir = this.env.argocdCrdsDir;
    if (!existsSync(dir)) {
      throw new Error(
        `ArgoCD's CRDs were not found in ${dir}: test/cluster/run.sh sets ARGOCD_CRDS_DIR from tools/argocd/crds.sh ` +
          '(the pinned Go module, or your override); run `npm run test:cluster`',
      );
    }
    const crds = loadManifests([dir])
      .map(({ object }) => object as ApiObject)
      .filter((o) => isApiObject(o) && o.kind === 'CustomResourceDefinition');
    if (crds.length === 0) throw new Error(`${dir} holds no CustomResourceDefinition`);
    await this.applyAll(crds);
    const api = this.admin.kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const crd of crds) {
      const name = crd.metadata?.name as string;
      const served = await eventually(`CRD ${name} Established`, 60, async () => {
        const current = await api.readCustomResourceDefinition({ name });
        const established = current.status?.conditions?.some(
          (c) => c.type === 'Established' && c.status === 'True',
        );
        return established ? current : undefined;
      });
      const version = served.spec.versions.find((v) => v.served)?.name;
      const apiVersion = `${served.spec.group}/${version}`;
      await eventually(`${served.spec.names.kind} in discovery`, 60, () =>
        this.admin.resourceOf(apiVersion, served.spec.names.kind),
      );
    }
  }

  private async waitForAdmissionPolicies(): Promise<void> {
    await this.applyAll(sentinelObjects());
    const probe: ApiObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: SENTINEL, namespace: SENTINEL },
    };
    await eventually('admission policies loaded (sentinel policy denies)', 60, async () => {
      const error: ApiError = await apiErrorOf(this.admin.create(probe, { dryRun: true }));
      return error.message.includes(`ValidatingAdmissionPolicy '${SENTINEL}'`) ? true : undefined;
    });
  }
}
