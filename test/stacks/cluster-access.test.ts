import { buildModel } from '../../charts/app';
import { APPLICABLE_KINDS, isAllowed } from '../../lib/access';
import { GroupKind, groupOf } from '../../lib/manifest/api-group';
import { KubeObject } from '../../lib/manifest/kube-object';
import { production } from '../../charts/environments';
import { PERSONAS } from '../../charts/personas';
import { argocdObjects, clusterAccessPlan, clusterObjects, clusterPlanOf } from '../../stacks/cluster-access';
import { productionKinds } from '../../stacks/production-kinds';
import { clusterSettings, stackFileValues } from '../../stacks/settings';
import { prodEu, staging } from '../helpers/extra-environments';

const settings = clusterSettings(stackFileValues());
const { identities } = settings;
const breakGlass = { user: identities.breakGlassUser, groups: [identities.breakGlassGroup] };
const prod = buildModel().prod;

/** The RBAC resource of an object, from the table break-glass is granted from. */
const resourceOf = (object: KubeObject): string => {
  const found = APPLICABLE_KINDS.find(
    (entry) => entry.group === groupOf(object.apiVersion) && entry.kind === object.kind,
  );
  if (!found) throw new Error(`no resource for ${object.kind}`);
  return found.resource;
};
/** Objects of `prod` break-glass may not create or patch, given the declared RBAC objects. */
const refused = (declared: readonly KubeObject[]): string[] =>
  prod.flatMap((object) =>
    ['create', 'patch']
      .filter(
        (verb) =>
          !isAllowed(declared, breakGlass, {
            namespace: production.namespace,
            verb,
            group: groupOf(object.apiVersion),
            resource: resourceOf(object),
            name: verb === 'create' ? undefined : object.metadata?.name,
          }),
      )
      .map((verb) => `${verb} ${object.kind} ${object.metadata?.name}`),
  );

describe('clusterAccessPlan: break-glass and what production runs', () => {
  test('break-glass may apply every kind the prod overlay renders, and is given exactly those kinds', () => {
    // given the plan the program and npm run rbac:export use
    const plan = clusterPlanOf(clusterAccessPlan(settings));
    // when
    const problems = refused(clusterObjects(plan));
    // then
    expect(problems).toEqual([]);
    expect(plan.environments[0].breakGlass?.applyKinds).toEqual(productionKinds());
    expect(productionKinds().map((k) => k.kind)).toEqual(expect.arrayContaining(['ServiceAccount']));
  });

  test('fails when break-glass is given fewer kinds than production runs: the ArgoCD-down apply would stop halfway', () => {
    // given a plan that leaves ServiceAccounts out, as the break-glass Role once did
    const without: GroupKind[] = productionKinds().filter((kind) => kind.kind !== 'ServiceAccount');
    // when
    const problems = refused(
      clusterObjects(clusterPlanOf(clusterAccessPlan(settings, { kindsOf: () => without }))),
    );
    // then
    expect(problems).toEqual(
      prod
        .filter((object) => object.kind === 'ServiceAccount')
        .flatMap((object) => [
          `create ServiceAccount ${object.metadata?.name}`,
          `patch ServiceAccount ${object.metadata?.name}`,
        ]),
    );
    expect(problems.length).toBeGreaterThan(0);
  });
});

const kindsOf = () => productionKinds();
const key = (object: KubeObject): string =>
  `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

describe('clusterAccessPlan: every environment gets its cluster side', () => {
  test('a staging environment gets its namespace, read-only access, sync access, image admission and audit', () => {
    // given
    const environments = [production, staging];
    // when
    const cluster = clusterPlanOf(clusterAccessPlan(settings, { environments, kindsOf }));
    const objects = clusterObjects(cluster);
    const plan = cluster.environments.find((environment) => environment.environment === 'staging');
    // then
    expect(plan).toMatchObject({
      names: { namespace: 'staging-namespace', readOnly: 'staging-read-only', sync: 'staging-gitops-sync' },
      namespace: { name: 'staging' },
      readOnly: { namespace: 'staging', groups: [identities.developersGroup, identities.oncallGroup] },
      sync: {
        namespace: 'staging',
        serviceAccount: { namespace: 'argocd', name: 'argocd-application-controller' },
      },
      imageAdmission: { namespace: 'staging' },
    });
    expect(objects.map(key)).toEqual(
      expect.arrayContaining([
        'Namespace /staging',
        'Role staging/read-only',
        'RoleBinding staging/read-only',
        'Role staging/gitops-sync',
        'RoleBinding staging/gitops-sync',
        'ValidatingAdmissionPolicy /staging-image-registry',
        'ValidatingAdmissionPolicyBinding /staging-image-registry',
      ]),
    );
    expect(cluster.audit.namespaces).toEqual(['production', 'staging']);
    const developer = { user: 'dev-alice', groups: [identities.developersGroup] };
    const controller = {
      user: 'system:serviceaccount:argocd:argocd-application-controller',
      groups: ['system:serviceaccounts'],
    };
    const inStaging = { namespace: 'staging', group: 'apps', resource: 'deployments' };
    expect(isAllowed(objects, developer, { ...inStaging, verb: 'list' })).toBe(true);
    expect(isAllowed(objects, developer, { ...inStaging, verb: 'patch' })).toBe(false);
    expect(isAllowed(objects, controller, { ...inStaging, verb: 'create' })).toBe(true);
  });

  test("production's objects are the same, object by object, whether staging is declared or not", () => {
    // given
    const alone = clusterObjects(clusterPlanOf(clusterAccessPlan(settings, { kindsOf })));
    // when
    const withStaging = clusterObjects(
      clusterPlanOf(clusterAccessPlan(settings, { environments: [production, staging], kindsOf })),
    );
    // then
    const ofProduction = withStaging.filter(
      (object) => !key(object).includes('staging') && object.metadata?.name !== 'staging',
    );
    expect(ofProduction.map(key)).toEqual(alone.map(key));
    for (const object of alone) expect(ofProduction.find((o) => key(o) === key(object))).toEqual(object);
  });

  test('an environment naming another cluster gets a plan of its own: its namespace, access and audit there', () => {
    // given
    const environments = [production, prodEu];
    // when
    const plan = clusterAccessPlan(settings, { environments, kindsOf });
    // then
    expect(plan.clusters.map((cluster) => cluster.cluster.name)).toEqual(['in-cluster', 'prod-eu']);
    const eu = clusterPlanOf(plan, 'prod-eu');
    expect(eu.environments.map((environment) => environment.names.readOnly)).toEqual(['prod-eu-read-only']);
    expect(eu.audit.namespaces).toEqual(['production']);
    // the same objects as ArgoCD's cluster, but ArgoCD's own (its namespace, its right to sync its sealed
    // Secrets there): ArgoCD runs in one cluster only
    const inCluster = clusterPlanOf(plan);
    expect(argocdObjects(inCluster).map(key)).toEqual([
      'Namespace /argocd',
      'Role argocd/gitops-sync-sealed-secrets',
      'RoleBinding argocd/gitops-sync-sealed-secrets',
    ]);
    expect(clusterObjects(eu).map(key)).toEqual(clusterObjects(inCluster).map(key).slice(3));
    expect(argocdObjects(eu)).toEqual([]);
    expect(eu.sealedSecrets.servedNamespaces).toEqual(['production']);
    expect(clusterPlanOf(plan).sealedSecrets.servedNamespaces).toEqual(['production', 'argocd']);
  });

  test('fails when two environments of one cluster share a namespace, naming both and the fix', () => {
    // given
    const environments = [production, { ...staging, namespace: 'production' }];
    // when / then
    expect(() => clusterAccessPlan(settings, { environments, kindsOf })).toThrow(
      'environments "prod" and "staging" both run in namespace "production" of cluster "in-cluster": their access and admission objects would be one, so give each its own namespace in charts/environments.ts',
    );
  });

  test('fails when one cluster name is given two API servers', () => {
    // given
    const other = { ...staging, cluster: { name: 'prod-eu', server: 'https://elsewhere:6443' } };
    // when / then
    expect(() => clusterAccessPlan(settings, { environments: [prodEu, other], kindsOf })).toThrow(
      'cluster "prod-eu" has two API servers in charts/environments.ts',
    );
  });

  test('fails, naming charts/environments.ts, for an environment whose kinds nobody knows', () => {
    // given an environment the model does not build, and no kindsOf
    // when / then
    expect(() => clusterAccessPlan(settings, { environments: [staging] })).toThrow(
      'environment "staging" is not in charts/environments.ts',
    );
  });
});

describe('clusterAccessPlan: what the persona table must hold', () => {
  test('fails when two personas are the GitOps controller of one environment, naming the table', () => {
    // given
    const twice = { ...clusterSettings(stackFileValues()), personas: [...PERSONAS, PERSONAS[3]] };
    // when / then
    expect(() => clusterAccessPlan(twice, { kindsOf })).toThrow(
      'environment "prod": 2 personas declare a GitOps controller (syncer) (charts/personas.ts)',
    );
  });

  test('fails when a persona may request break-glass but none is the break-glass identity', () => {
    // given the table without its break-glass row
    const without = {
      ...clusterSettings(stackFileValues()),
      personas: PERSONAS.filter((persona) => persona.id !== 'breakGlass'),
    };
    // when / then
    expect(() => clusterAccessPlan(without, { kindsOf })).toThrow(
      `environment "prod": ${identities.oncallGroup} may request break-glass, but no persona is the break-glass identity`,
    );
  });
});
