import { argocdSecretsSyncObjects, syncAccessObjects } from '../../../lib/access';

describe('syncAccessObjects', () => {
  test('binds a namespaced Role to the service account of the controller', () => {
    // given / when
    const [role, binding] = syncAccessObjects({
      namespace: 'production',
      serviceAccount: { namespace: 'argocd', name: 'argocd-application-controller' },
    });
    // then
    expect(role.metadata).toEqual({ name: 'gitops-sync', namespace: 'production' });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
    ]);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'gitops-sync',
    });
  });

  test('names every resource: no wildcard (it would cover the namespace object and pods/exec), no secrets', () => {
    // given / when
    const [role] = syncAccessObjects({ namespace: 'p', serviceAccount: { namespace: 'argocd', name: 'c' } });
    const rules = role.rules as { apiGroups: string[]; resources: string[] }[];
    // then
    for (const rule of rules) {
      expect(rule.apiGroups).not.toContain('*');
      for (const forbidden of ['*', 'namespaces', 'secrets', 'pods/exec'])
        expect(rule.resources).not.toContain(forbidden);
    }
  });

  test('never grants impersonate, escalate, bind or the verb wildcard', () => {
    // given / when
    const [role] = syncAccessObjects({ namespace: 'p', serviceAccount: { namespace: 'argocd', name: 'c' } });
    const verbs = (role.rules as { verbs: string[] }[]).flatMap((rule) => rule.verbs);
    // then
    for (const verb of ['*', 'impersonate', 'escalate', 'bind']) expect(verbs).not.toContain(verb);
  });
});

describe('argocdSecretsSyncObjects', () => {
  test("grants ArgoCD's controller SealedSecrets in its own namespace and nothing else: no Secret, no other kind", () => {
    // given / when
    const [role, binding] = argocdSecretsSyncObjects({
      namespace: 'argocd',
      serviceAccount: { namespace: 'argocd', name: 'argocd-application-controller' },
    });
    // then
    expect(role.metadata).toEqual({ name: 'gitops-sync-sealed-secrets', namespace: 'argocd' });
    expect(
      (role.rules as { apiGroups: string[]; resources: string[] }[]).map((rule) => [
        rule.apiGroups,
        rule.resources,
      ]),
    ).toEqual([[['bitnami.com'], ['sealedsecrets']]]);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' },
    ]);
  });
});
