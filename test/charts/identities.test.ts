import { buildModel } from '../../charts/app';
import { PULUMI_PROJECT, identitiesOf } from '../../charts/identities';
import { KubeObject } from '../../lib';
import { clusterAccessPlan, clusterObjects } from '../../stacks/cluster-access';
import { clusterSettings, stackFileValues } from '../../stacks/settings';

const RENAMED = 'robson:platform-readers';
/** The committed stack file with the developers' group renamed, as an admin's reviewed change would. */
const renamedValues = (): Record<string, string> => ({
  ...stackFileValues(),
  [`${PULUMI_PROJECT}:developersGroup`]: RENAMED,
});

const argocdPolicy = (values: Record<string, string>): string => {
  const model = buildModel({ identities: identitiesOf(values) });
  const rbac = model.argocd.find(
    (object: KubeObject) => object.kind === 'ConfigMap' && object.metadata?.name === 'argocd-rbac-cm',
  );
  return (rbac?.data as Record<string, string>)['policy.csv'];
};

const clusterGroups = (values: Record<string, string>): string[] =>
  clusterObjects(clusterAccessPlan(clusterSettings(values)))
    .flatMap((object) => (object.subjects as { kind: string; name: string }[] | undefined) ?? [])
    .filter((subject) => subject.kind === 'Group')
    .map((subject) => subject.name);

/** The access matrix's personas, built from the stack file values `values`. */
function matrixGroups(values: Record<string, string>): string[] {
  let groups: string[] = [];
  jest.isolateModules(() => {
    jest.doMock('../../stacks/settings', () => ({
      ...jest.requireActual('../../stacks/settings'),
      stackFileValues: () => values,
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { personas } = require('../../stacks/access-matrix') as typeof import('../../stacks/access-matrix');
    groups = personas.flatMap((persona) => persona.groups);
  });
  jest.dontMock('../../stacks/settings');
  return groups;
}

describe('one source of identities: the stack file (charts/identities.ts)', () => {
  const committed = identitiesOf(stackFileValues());

  test('ArgoCD RBAC, the cluster RBAC and the access matrix all name the committed developers group', () => {
    expect(argocdPolicy(stackFileValues())).toContain(`g, ${committed.developersGroup}, role:`);
    expect(clusterGroups(stackFileValues())).toContain(committed.developersGroup);
    expect(matrixGroups(stackFileValues())).toContain(committed.developersGroup);
  });

  test('renaming the group in the stack file renames it in all three, and the old name is gone', () => {
    // when
    const values = renamedValues();
    // then
    for (const names of [
      argocdPolicy(values),
      clusterGroups(values).join('\n'),
      matrixGroups(values).join('\n'),
    ]) {
      expect(names).toContain(RENAMED);
      expect(names).not.toContain(committed.developersGroup);
    }
  });
});
