import { buildModel } from '../../charts/app';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PROD_STACK_FILE,
  PULUMI_PROJECT,
  committedIdentities,
  committedStackValues,
  identitiesOf,
} from '../../charts/identities';
import { KubeObject } from '../../lib';
import { clusterAccessPlan, clusterObjects, clusterPlanOf } from '../../stacks/cluster-access';
import { accessMatrix } from '../../stacks/access-matrix';
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
  clusterObjects(clusterPlanOf(clusterAccessPlan(clusterSettings(values))))
    .flatMap((object) => (object.subjects as { kind: string; name: string }[] | undefined) ?? [])
    .filter((subject) => subject.kind === 'Group')
    .map((subject) => subject.name);

/** The access matrix's personas, built from the stack file values `values`. */
const matrixGroups = (values: Record<string, string>): string[] =>
  accessMatrix(clusterSettings(values)).personas.flatMap((persona) => persona.groups);

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

describe('the stack file is read in one place (committedStackValues)', () => {
  test('from any working directory, the same values: stackFileValues, committedIdentities and the export agree', () => {
    // given a process whose working directory is not the repository
    const before = process.cwd();
    process.chdir(tmpdir());
    try {
      // when
      const values = stackFileValues();
      // then
      expect(values).toEqual(committedStackValues());
      expect(committedIdentities()).toEqual(identitiesOf(values));
      expect(values[`${PULUMI_PROJECT}:developersGroup`]).toBe('robson:developers');
    } finally {
      process.chdir(before);
    }
  });

  test('fails for a repository without the stack file, naming the file and the fix', () => {
    // given
    const empty = mkdtempSync(join(tmpdir(), 'no-stack-file-'));
    // when / then
    expect(() => committedStackValues(empty)).toThrow(
      `cannot read ${join(empty, PROD_STACK_FILE)} (ENOENT): the committed stack file holds who is who; restore it from Git`,
    );
  });

  test('hands each caller its own copy: changing one does not change what the next reads', () => {
    // given
    const first = committedStackValues();
    // when
    first[`${PULUMI_PROJECT}:developersGroup`] = 'changed';
    // then
    expect(committedStackValues()[`${PULUMI_PROJECT}:developersGroup`]).toBe('robson:developers');
  });
});
