import { readFileSync } from 'node:fs';
import { production } from '../../charts/environments';
import { productionKinds } from '../../stacks/production-kinds';
import { CLUSTER_PROVIDER, clusterProviderName, declareProduction } from '../../stacks/production';
import { PROJECT, stackFileValues, stackSettings } from '../../stacks/settings';
import { CLUSTER_RESOURCES } from '../helpers/cluster-plan';
import { RecordedResource, mockEngine, registrationsDone } from './pulumi-mocks';
import { prodEu, staging } from '../helpers/extra-environments';

const config = { ...stackFileValues(), [`${PROJECT}:releaseAppId`]: '424242' };
const shell = {
  GITHUB_TOKEN: 'not-a-real-token',
  PRODUCTION_KUBE_CONTEXT: 'prod-admin@production',
  PROD_EU_KUBE_CONTEXT: 'prod-admin@prod-eu',
};
let resources: RecordedResource[] = [];

beforeAll(async () => {
  resources = mockEngine(config, PROJECT);
  // staging and prod-eu are not in charts/environments.ts, so no overlay says what they run: production's kinds
  declareProduction(stackSettings(config, shell, 'prod', [production, staging, prodEu]), () =>
    productionKinds(),
  );
  await registrationsDone();
});

const named = (name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${resources.map((r) => r.name).join(', ')}`);
  return found;
};
const kubernetes = (): RecordedResource[] => resources.filter((r) => r.type.startsWith('kubernetes:'));

describe('declareProduction with a staging environment and a second cluster (mocked Pulumi engine)', () => {
  test("declares one kubernetes provider per cluster, each on the admin's context for it", () => {
    // given / when
    const providers = resources.filter((r) => r.type === 'pulumi:providers:kubernetes');
    // then
    expect(providers.map((p) => [p.name, p.inputs.context])).toEqual([
      [CLUSTER_PROVIDER, 'prod-admin@production'],
      ['prod-eu-cluster', 'prod-admin@prod-eu'],
    ]);
  });

  test("production's resources keep their names, hence their URNs, and stacks/adopt-existing.json still names them", () => {
    // given
    const adopt = JSON.parse(readFileSync('stacks/adopt-existing.json', 'utf8')) as {
      nameTable: Record<string, string>;
      resources: { type: string; name: string }[];
    };
    const declared = resources.map((r) => `${r.type} ${r.name}`);
    // when / then
    for (const resource of CLUSTER_RESOURCES) expect(declared).toContain(resource);
    expect(named(CLUSTER_PROVIDER).urn).toBe(adopt.nameTable[CLUSTER_PROVIDER]);
    for (const entry of adopt.resources.filter(
      (r) => r.type.startsWith('gitops:kubernetes') || r.type.startsWith('kubernetes:'),
    )) {
      expect(named(entry.name).type).toBe(entry.type);
    }
  });

  test("staging's namespace, access and admission go through production's cluster provider, under names of their own", () => {
    // given
    const providerUrn = named(CLUSTER_PROVIDER).urn;
    // when
    const ofStaging = kubernetes().filter((r) => r.name.startsWith('staging-'));
    // then
    expect(ofStaging.map((r) => r.name).sort()).toEqual(
      expect.arrayContaining([
        'staging-namespace-namespace',
        'staging-read-only-role',
        'staging-read-only-rolebinding',
        'staging-gitops-sync-role',
        'staging-gitops-sync-rolebinding',
        'staging-image-admission-validatingadmissionpolicy',
        'staging-image-admission-validatingadmissionpolicybinding',
      ]),
    );
    for (const resource of ofStaging) expect(resource.provider.startsWith(`${providerUrn}::`)).toBe(true);
    expect(named('staging-namespace-namespace').inputs).toMatchObject({ metadata: { name: 'staging' } });
    expect(named('staging-namespace-namespace').protect).toBe(true);
  });

  test("the second cluster's objects go through its own provider only", () => {
    // given
    const euUrn = named('prod-eu-cluster').urn;
    // when
    const ofEu = kubernetes().filter((r) => r.name.startsWith('prod-eu-'));
    // then
    expect(ofEu.length).toBeGreaterThan(5);
    for (const resource of ofEu) expect(resource.provider.startsWith(`${euUrn}::`)).toBe(true);
    for (const resource of kubernetes().filter((r) => !r.name.startsWith('prod-eu-')))
      expect(resource.provider.startsWith(`${euUrn}::`)).toBe(false);
  });
});

describe('clusterProviderName', () => {
  test("ArgoCD's own cluster keeps production-cluster; another is <name>-cluster", () => {
    expect(clusterProviderName('in-cluster')).toBe(CLUSTER_PROVIDER);
    expect(clusterProviderName('prod-eu')).toBe('prod-eu-cluster');
  });

  test('fails for a cluster named production, whose provider would be the existing one', () => {
    expect(() => clusterProviderName('production')).toThrow(
      'cluster "production" (charts/environments.ts) would get the provider production-cluster',
    );
  });
});

describe('stackSettings with a second cluster', () => {
  test("fails while the admin's shell lacks that cluster's context, naming the variable", () => {
    // given
    const without = { ...shell, PROD_EU_KUBE_CONTEXT: undefined };
    // when / then
    expect(() => stackSettings(config, without, 'prod', [production, prodEu])).toThrow(
      'PROD_EU_KUBE_CONTEXT is not set.',
    );
  });
});
