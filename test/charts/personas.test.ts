import { App } from 'cdk8s';
import { buildModel } from '../../charts/app';
import { ArgoCdChart } from '../../charts/argocd-chart';
import { environments, production } from '../../charts/environments';
import { PULUMI_PROJECT, identitiesOf, identitySettings } from '../../charts/identities';
import { ArgoCdAccess, MatrixAbility, PersonaDeclaration } from '../../charts/persona-declaration';
import { PERSONAS } from '../../charts/personas';
import { KubeObject } from '../../lib';
import { isAllowed } from '../../lib/access';
import { accessMatrix, accessMatrixDocument, expectations } from '../../stacks/access-matrix';
import {
  clusterAccessPlan,
  clusterAuditPolicy,
  clusterObjects,
  clusterPlanOf,
} from '../../stacks/cluster-access';
import { productionKinds } from '../../stacks/production-kinds';
import { STACK_FILE_KEYS, clusterSettings, stackFileValues } from '../../stacks/settings';

/**
 * A persona added in the test only: a security team that reads every environment, may sync in ArgoCD
 * and whose every request is audited. One row, as the table's comment says.
 */
const AUDITORS: PersonaDeclaration = {
  id: 'auditor',
  identities: [{ key: 'auditorsGroup', default: 'robson:auditors', description: 'the security team' }],
  access: (ids) => ({ readers: [ids.auditorsGroup], auditedGroups: [ids.auditorsGroup] }),
  argocdRole: { access: ArgoCdAccess.SYNC, groups: (ids) => [ids.auditorsGroup] },
  matrix: {
    title: 'auditor',
    subject: (ids) => ({ user: 'audit-carol', groups: [ids.auditorsGroup, 'system:authenticated'] }),
    abilities: [MatrixAbility.READ],
  },
};
const TABLE = [...PERSONAS, AUDITORS];
/** The committed stack file, with the new persona's name set as an admin's reviewed change would. */
const values = { ...stackFileValues(), [`${PULUMI_PROJECT}:auditorsGroup`]: 'robson:security-auditors' };
const kindsOf = () => productionKinds();

/** The policy.csv of ArgoCD's RBAC, built from `personas`. */
function argocdPolicy(personas: readonly PersonaDeclaration[]): string {
  const model = buildModel();
  const chart = new ArgoCdChart(new App(), 'ArgoCd', {
    environments: model.environments,
    components: model.components,
    deployed: model.deployed,
    base: model.base,
    images: Object.values(model.images).map((image) => image.repository),
    identities: identitiesOf(values, personas),
    personas,
  });
  const rbac = chart
    .toJson()
    .find((object: KubeObject) => object.kind === 'ConfigMap' && object.metadata?.name === 'argocd-rbac-cm');
  return (rbac?.data as Record<string, string>)['policy.csv'];
}

describe('the persona table (charts/personas.ts) is the one place a persona is declared', () => {
  test('the real table: every identity key is in the committed stack file, and the stack file has no other', () => {
    // given
    const keys = identitySettings().map((setting) => `${PULUMI_PROJECT}:${setting.key}`);
    // when
    const committed = Object.keys(stackFileValues()).filter((key) => key.startsWith(`${PULUMI_PROJECT}:`));
    // then
    for (const key of keys) expect(committed).toContain(key);
    for (const key of keys) expect(STACK_FILE_KEYS).toContain(key);
  });

  test('adding one row: Identities, the cluster settings, the cluster RBAC, the audit policy, ArgoCD and the matrix all pick it up', () => {
    // given the table with one more row, and the stack file naming its group
    const settings = clusterSettings(values, TABLE);
    // when
    const cluster = clusterPlanOf(clusterAccessPlan(settings, { kindsOf }));
    const objects = clusterObjects(cluster);
    const matrix = accessMatrix(settings);
    const auditor = matrix.personas.find((persona) => persona.id === 'auditor');
    // then: Identities and the cluster settings
    expect(identitiesOf(values, TABLE).auditorsGroup).toBe('robson:security-auditors');
    expect(settings.identities.auditorsGroup).toBe('robson:security-auditors');
    // the cluster RBAC: the group reads production, and only reads
    expect(cluster.environments[0].readOnly?.groups).toContain('robson:security-auditors');
    expect(auditor).toBeDefined();
    const reader = auditor ?? { user: '', groups: [] };
    const request = { namespace: production.namespace, group: '', resource: 'pods' };
    expect(isAllowed(objects, reader, { ...request, verb: 'list' })).toBe(true);
    expect(isAllowed(objects, reader, { ...request, verb: 'create', subresource: 'exec' })).toBe(false);
    // the audit policy records its every request
    expect(clusterAuditPolicy(cluster).rules).toContainEqual({
      level: 'RequestResponse',
      userGroups: ['robson:oncall', 'robson:break-glass', 'robson:security-auditors'],
    });
    // ArgoCD's RBAC gives it its sync role
    const policy = argocdPolicy(TABLE);
    expect(policy).toContain('g, robson:security-auditors, role:auditor');
    expect(policy).toContain('p, role:auditor, applications, sync, production/*, allow');
    // the access matrix has its column, allowed exactly the reading rows, and it holds
    expect(matrix.rows.filter((row) => row.allow.includes('auditor')).map((row) => row.action)).toEqual(
      matrix.rows.filter((row) => row.allow.includes('developer')).map((row) => row.action),
    );
    expect(accessMatrixDocument(matrix)).toContain('| auditor |');
    for (const cell of expectations(matrix)) {
      expect(`${cell.persona.id}: ${cell.action}: ${isAllowed(objects, cell.persona, cell.request)}`).toBe(
        `${cell.persona.id}: ${cell.action}: ${cell.allowed}`,
      );
    }
  });

  test('fails when the stack file names a persona key the table does not declare, saying which keys are known', () => {
    // given the new key in the stack file, read with the real table
    // when / then
    expect(() => clusterSettings(values)).toThrow(
      `unknown configuration ${PULUMI_PROJECT}:auditorsGroup; known keys:`,
    );
  });

  test('without the row, none of them knows the group', () => {
    // given / when
    const settings = clusterSettings(stackFileValues());
    const cluster = clusterPlanOf(clusterAccessPlan(settings, { kindsOf }));
    // then
    expect(JSON.stringify(clusterObjects(cluster))).not.toContain('auditors');
    expect(JSON.stringify(clusterAuditPolicy(cluster))).not.toContain('auditors');
    expect(argocdPolicy(PERSONAS)).not.toContain('auditor');
    expect(accessMatrixDocument(accessMatrix(settings))).not.toContain('auditor');
  });

  test('fails when two personas claim one stack-file key, naming the key and the table', () => {
    // given
    const twice = [
      ...PERSONAS,
      { ...AUDITORS, identities: [{ ...AUDITORS.identities[0], key: 'oncallGroup' }] },
    ];
    // when / then
    expect(() => identitiesOf(values, twice)).toThrow(
      'identity key "oncallGroup" is declared by two personas in charts/personas.ts',
    );
  });

  test('the real environments are all planned with the real table', () => {
    // given / when
    const plan = clusterAccessPlan(clusterSettings(stackFileValues()));
    // then
    expect(plan.clusters.flatMap((cluster) => cluster.environments.map((e) => e.environment))).toEqual(
      environments.map((environment) => environment.name),
    );
  });
});
