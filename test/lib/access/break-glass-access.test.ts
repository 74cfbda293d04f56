import {
  APPLICABLE_KINDS,
  RbacRule,
  breakGlassAccessObjects,
  breakGlassRules,
  isAllowed,
} from '../../../lib/access';
import { GroupKind } from '../../../lib/manifest/api-group';

const applyKinds: GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
];
const props = {
  namespace: 'production',
  requesterGroups: ['robson:oncall'],
  group: 'robson:break-glass',
  user: 'robson:break-glass-user',
  applyKinds,
};
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const writes = (rules: readonly RbacRule[], resource: string): boolean =>
  rules.some((rule) => rule.resources.includes(resource) && rule.verbs.some((v) => WRITES.includes(v)));

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

  test('the edit rules never reach RBAC, tokens, impersonation, namespaces or wildcards, whatever kinds are applied', () => {
    // given every kind break-glass can ever be given
    const rules = breakGlassRules(APPLICABLE_KINDS);
    // when
    const resources = rules.flatMap((rule) => rule.resources);
    const groups = rules.flatMap((rule) => rule.apiGroups);
    const verbs = rules.flatMap((rule) => rule.verbs);
    // then
    expect(groups).not.toContain('rbac.authorization.k8s.io');
    expect(groups).not.toContain('admissionregistration.k8s.io');
    expect(groups).not.toContain('*');
    expect(resources).not.toContain('*');
    for (const forbidden of ['serviceaccounts/token', 'namespaces', 'resourcequotas', 'limitranges'])
      expect(writes(rules, forbidden)).toBe(false);
    for (const verb of ['*', 'impersonate', 'escalate', 'bind']) expect(verbs).not.toContain(verb);
  });

  test('may create, patch and delete exactly the kinds it applies, and scale the scalable ones', () => {
    // given
    const [role, binding] = breakGlassAccessObjects(props);
    const breakGlass = { user: props.user, groups: [props.group] };
    const ask = (verb: string, group: string, resource: string, subresource?: string): boolean =>
      isAllowed([role, binding], breakGlass, { namespace: 'production', verb, group, resource, subresource });
    // when / then: what kubectl apply and kubectl diff send for the applied kinds
    for (const verb of ['get', 'create', 'patch', 'delete']) {
      expect(ask(verb, '', 'configmaps')).toBe(true);
      expect(ask(verb, '', 'serviceaccounts')).toBe(true);
      expect(ask(verb, 'apps', 'deployments')).toBe(true);
    }
    expect(ask('patch', 'apps', 'deployments', 'scale')).toBe(true);
    // and nothing for kinds it does not apply
    expect(ask('create', 'apps', 'statefulsets')).toBe(false);
    expect(ask('create', 'networking.k8s.io', 'ingresses')).toBe(false);
    expect(ask('create', '', 'pods')).toBe(false);
    expect(ask('update', 'apps', 'deployments')).toBe(false);
    expect(ask('create', '', 'serviceaccounts', 'token')).toBe(false);
    // the emergency rights stay whatever is applied
    expect(ask('delete', '', 'pods')).toBe(true);
    expect(ask('create', '', 'pods', 'exec')).toBe(true);
    expect(ask('update', '', 'secrets')).toBe(true);
  });

  test.each([
    [{ group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' }, 'RBAC objects'],
    [{ group: 'rbac.authorization.k8s.io', kind: 'Role' }, 'RBAC objects'],
    [{ group: '', kind: 'Namespace' }, 'Pod Security labels'],
    [{ group: '', kind: 'ResourceQuota' }, 'quotas'],
    [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' }, 'admission policies'],
  ])('fails when asked to apply %o, saying why', (kind, why) => {
    // given / when / then
    expect(() => breakGlassAccessObjects({ ...props, applyKinds: [...applyKinds, kind] })).toThrow(
      `BreakGlassAccess production/break-glass: ${kind.group || 'core'}/${kind.kind} may never be applied by hand`,
    );
    expect(() => breakGlassAccessObjects({ ...props, applyKinds: [kind] })).toThrow(why);
  });

  test('fails for a kind it does not know the resource name of, naming the table to extend', () => {
    // given
    const kind = { group: 'example.com', kind: 'Widget' };
    // when / then
    expect(() => breakGlassAccessObjects({ ...props, applyKinds: [kind] })).toThrow(
      'example.com/Widget is not a kind break-glass knows how to grant; add its resource name to APPLICABLE_KINDS in lib/access/applicable-kinds.ts',
    );
  });

  test('fails without kinds to apply', () => {
    // given / when / then
    expect(() => breakGlassAccessObjects({ ...props, applyKinds: [] })).toThrow(/applyKinds is empty/);
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
