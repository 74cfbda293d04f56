import { Chart, Testing } from 'cdk8s';
import { ArgoCdProject, ArgoCdRbac } from '../../../lib';

function setUp(): { chart: Chart; production: ArgoCdProject } {
  const chart = new Chart(Testing.app(), 'Test');
  const production = new ArgoCdProject(chart, 'Production', {
    name: 'production',
    description: 'x',
    repoURL: 'https://github.com/acme/infra.git',
    namespaces: ['production'],
  });
  return { chart, production };
}

describe('ArgoCdRbac', () => {
  test('renders no default role, read-only groups and sync roles', () => {
    // given
    const { chart, production } = setUp();
    // when
    new ArgoCdRbac(chart, 'Rbac', {
      readOnlyGroups: ['acme:developers'],
      syncRoles: [{ name: 'oncall', groups: ['acme:oncall'], projects: [production] }],
    });
    // then
    const configMap = Testing.synth(chart).find((object) => object.kind === 'ConfigMap');
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-rbac-cm', namespace: 'argocd' },
      data: {
        'policy.default': '',
        'policy.csv': [
          'g, acme:developers, role:readonly',
          'g, role:oncall, role:readonly',
          'p, role:oncall, applications, sync, production/*, allow',
          'g, acme:oncall, role:oncall',
          '',
        ].join('\n'),
        'policy.matchMode': 'glob',
        scopes: '[groups]',
      },
    });
  });

  test.each([
    ['a group with a comma', { readOnlyGroups: ['a,b'] }, /group "a,b"/],
    [
      'a sync role without project',
      { readOnlyGroups: [], syncRoles: [{ name: 'oncall', groups: ['g'], projects: [] }] },
      /sync role "oncall"/,
    ],
  ])('fails: %s', (_label, props, message) => {
    // given
    const { chart } = setUp();
    // when / then
    expect(() => new ArgoCdRbac(chart, 'Rbac', props)).toThrow(message);
  });
});
