import { buildModel } from '../../charts/app';
import { APPLICABLE_KINDS, isAllowed } from '../../lib/access';
import { GroupKind, groupOf } from '../../lib/manifest/api-group';
import { KubeObject } from '../../lib/manifest/kube-object';
import { clusterAccessPlan, clusterObjects } from '../../stacks/cluster-access';
import { productionKinds } from '../../stacks/production-kinds';
import { clusterSettings, stackFileValues } from '../../stacks/settings';

const settings = clusterSettings(stackFileValues());
const breakGlass = { user: settings.breakGlassUser, groups: [settings.breakGlassGroup] };
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
            namespace: settings.namespace,
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
    const plan = clusterAccessPlan(settings);
    // when
    const problems = refused(clusterObjects(plan));
    // then
    expect(problems).toEqual([]);
    expect(plan.breakGlass.applyKinds).toEqual(productionKinds());
    expect(productionKinds().map((k) => k.kind)).toEqual(expect.arrayContaining(['ServiceAccount']));
  });

  test('fails when break-glass is given fewer kinds than production runs: the ArgoCD-down apply would stop halfway', () => {
    // given a plan that leaves ServiceAccounts out, as the break-glass Role once did
    const without: GroupKind[] = productionKinds().filter((kind) => kind.kind !== 'ServiceAccount');
    // when
    const problems = refused(clusterObjects(clusterAccessPlan(settings, without)));
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
