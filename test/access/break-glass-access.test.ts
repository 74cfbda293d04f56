import { BREAK_GLASS_RULES, breakGlassAccessObjects } from '../../lib/access';

const props = {
  namespace: 'production',
  requesterGroups: ['robson:oncall'],
  group: 'robson:break-glass',
  user: 'robson:break-glass-user',
};

describe('breakGlassAccessObjects', () => {
  test('binds the edit Role to the break-glass group only, and lets requesters impersonate exactly its user and group', () => {
    // given / when
    const [role, binding, impersonator, impersonatorBinding] = breakGlassAccessObjects(props);
    // then
    expect(role).toMatchObject({
      kind: 'Role',
      metadata: { name: 'break-glass-edit', namespace: 'production' },
    });
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      metadata: { name: 'break-glass-edit', namespace: 'production' },
      roleRef: { kind: 'Role', name: 'break-glass-edit' },
      subjects: [{ kind: 'Group', name: 'robson:break-glass' }],
    });
    expect(impersonator).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'production-break-glass-impersonator' },
      rules: [
        {
          apiGroups: [''],
          resources: ['users'],
          resourceNames: ['robson:break-glass-user'],
          verbs: ['impersonate'],
        },
        {
          apiGroups: [''],
          resources: ['groups'],
          resourceNames: ['robson:break-glass'],
          verbs: ['impersonate'],
        },
      ],
    });
    expect(impersonatorBinding).toMatchObject({
      kind: 'ClusterRoleBinding',
      roleRef: { kind: 'ClusterRole', name: 'production-break-glass-impersonator' },
      subjects: [{ kind: 'Group', name: 'robson:oncall' }],
    });
  });

  test('the edit rules never reach RBAC, tokens, impersonation, namespaces or wildcards', () => {
    // given / when
    const resources = BREAK_GLASS_RULES.flatMap((rule) => rule.resources);
    const groups = BREAK_GLASS_RULES.flatMap((rule) => rule.apiGroups);
    const verbs = BREAK_GLASS_RULES.flatMap((rule) => rule.verbs);
    // then
    expect(groups).not.toContain('rbac.authorization.k8s.io');
    expect(groups).not.toContain('*');
    expect(resources).not.toContain('*');
    for (const forbidden of ['serviceaccounts/token', 'namespaces', 'resourcequotas']) {
      expect(
        BREAK_GLASS_RULES.some(
          (rule) =>
            rule.resources.includes(forbidden) &&
            rule.verbs.some((v) => v !== 'get' && v !== 'list' && v !== 'watch'),
        ),
      ).toBe(false);
    }
    for (const verb of ['*', 'impersonate', 'escalate', 'bind']) expect(verbs).not.toContain(verb);
  });

  test('fails when the break-glass group is also a requester (it would hold edit rights without impersonation)', () => {
    // given / when / then
    expect(() => breakGlassAccessObjects({ ...props, requesterGroups: ['robson:break-glass'] })).toThrow(
      /only be reached by impersonation/,
    );
  });

  test('fails without a requester group', () => {
    // given / when / then
    expect(() => breakGlassAccessObjects({ ...props, requesterGroups: [] })).toThrow(
      /requesterGroups is empty/,
    );
  });
});
