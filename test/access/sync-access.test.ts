import { syncAccessObjects } from '../../lib/access';

describe('syncAccessObjects', () => {
  test('grants the controller every ordinary verb on every resource of the namespace, through a namespaced Role', () => {
    // given / when
    const [role, binding] = syncAccessObjects({
      namespace: 'production',
      serviceAccount: { namespace: 'argocd', name: 'argocd-application-controller' },
    });
    // then
    expect(role).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'gitops-sync', namespace: 'production' },
      rules: [
        {
          apiGroups: ['*'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
        },
      ],
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
    ]);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'gitops-sync',
    });
  });

  test('never grants impersonate, escalate, bind or the verb wildcard', () => {
    // given / when
    const [role] = syncAccessObjects({ namespace: 'p', serviceAccount: { namespace: 'argocd', name: 'c' } });
    const verbs = (role.rules as { verbs: string[] }[]).flatMap((rule) => rule.verbs);
    // then
    for (const verb of ['*', 'impersonate', 'escalate', 'bind']) expect(verbs).not.toContain(verb);
  });
});
