import { READ_ONLY_RULES, readOnlyAccessObjects } from '../../../lib/access';

describe('readOnlyAccessObjects', () => {
  test('declares a Role and a RoleBinding of that Role to every group, in the namespace', () => {
    // given / when
    const [role, binding] = readOnlyAccessObjects({ namespace: 'production', groups: ['a:dev', 'a:oncall'] });
    // then
    expect(role).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'read-only', namespace: 'production' },
    });
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-only', namespace: 'production' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-only' },
      subjects: [
        { kind: 'Group', name: 'a:dev', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'Group', name: 'a:oncall', apiGroup: 'rbac.authorization.k8s.io' },
      ],
    });
  });

  test('grants only get, list and watch, on named resources: no wildcard, no secrets, exec, attach, port-forward or proxy', () => {
    // given / when
    const verbs = new Set(READ_ONLY_RULES.flatMap((rule) => rule.verbs));
    const resources = READ_ONLY_RULES.flatMap((rule) => rule.resources);
    const groups = READ_ONLY_RULES.flatMap((rule) => rule.apiGroups);
    // then
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(resources).not.toContain('*');
    expect(groups).not.toContain('*');
    for (const forbidden of [
      'secrets',
      'pods/exec',
      'pods/attach',
      'pods/portforward',
      'pods/proxy',
      'services/proxy',
    ]) {
      expect(resources).not.toContain(forbidden);
    }
    expect(resources.filter((resource) => resource.includes('/'))).toEqual(['pods/log']);
  });

  test('fails without a group', () => {
    // given / when / then
    expect(() => readOnlyAccessObjects({ namespace: 'production', groups: [] })).toThrow(/groups is empty/);
  });
});
