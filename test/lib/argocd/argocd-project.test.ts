import { Chart, Testing } from 'cdk8s';
import { ArgoCdProject, ArgoCdProjectProps, IN_CLUSTER_SERVER } from '../../../lib';

const props: ArgoCdProjectProps = {
  name: 'preview',
  description: 'previews',
  repoURL: 'https://github.com/acme/infra.git',
  namespaces: ['preview-*'],
};

describe('ArgoCdProject', () => {
  test('renders one repository, in-cluster destinations, no cluster-scoped object, orphan warnings', () => {
    // given
    const chart = new Chart(Testing.app(), 'Test');
    // when
    new ArgoCdProject(chart, 'Project', props);
    // then
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'preview', namespace: 'argocd' },
        spec: {
          description: 'previews',
          sourceRepos: ['https://github.com/acme/infra.git'],
          destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'preview-*' }],
          clusterResourceWhitelist: [],
          orphanedResources: { warn: true },
          roles: [],
        },
      },
    ]);
  });

  test('may create only Namespaces matching a glob, and only the listed kinds', () => {
    // given
    const chart = new Chart(Testing.app(), 'Test');
    // when
    new ArgoCdProject(chart, 'Project', {
      ...props,
      createsNamespaces: 'preview-*',
      namespacedKinds: [{ group: 'apps', kind: 'Deployment' }],
    });
    // then
    const [project] = Testing.synth(chart);
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'preview-*' },
    ]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: 'Deployment' }]);
  });

  test('a sync role may get and sync the project’s Applications, nothing else', () => {
    // given
    const chart = new Chart(Testing.app(), 'Test');
    const project = new ArgoCdProject(chart, 'Project', {
      ...props,
      name: 'production',
      namespaces: ['production'],
    });
    // when
    const role = project.addSyncRole('ci', 'release workflow');
    // then
    expect(role.policies).toEqual([
      'p, proj:production:ci, applications, get, production/*, allow',
      'p, proj:production:ci, applications, sync, production/*, allow',
    ]);
    expect(Testing.synth(chart)[0].spec.roles).toEqual([role]);
  });

  test('namespace patterns: a prefix glob matches the prefix only', () => {
    // given
    const project = new ArgoCdProject(new Chart(Testing.app(), 'Test'), 'Project', props);
    // then
    expect(project.allowsDestination(IN_CLUSTER_SERVER, 'preview-42')).toBe(true);
    expect(project.allowsDestination(IN_CLUSTER_SERVER, 'production')).toBe(false);
    expect(project.allowsDestination(IN_CLUSTER_SERVER, 'preview')).toBe(false);
  });

  test.each([
    ['the default project', { name: 'default' }, /name "default" is not allowed/],
    ['every namespace', { namespaces: ['*'] }, /namespaces \* are not allowed/],
    ['no namespace', { namespaces: [] }, /namespaces is empty/],
  ])('fails: %s', (_label, override, message) => {
    // when / then
    expect(
      () => new ArgoCdProject(new Chart(Testing.app(), 'Test'), 'Project', { ...props, ...override }),
    ).toThrow(message);
  });

  test('fails: a role name used twice', () => {
    // given
    const project = new ArgoCdProject(new Chart(Testing.app(), 'Test'), 'Project', props);
    project.addSyncRole('ci', 'x');
    // when / then
    expect(() => project.addSyncRole('ci', 'y')).toThrow(/role name "ci"/);
  });
});
