import { KubeObject, ManifestDiff, diffResources, renderDiffMarkdown } from '../../../lib';

const deployment = (image: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', namespace: 'production' },
  spec: { replicas, template: { spec: { containers: [{ name: 'backend', image }] } } },
});
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'flags', namespace: 'production' },
  data: { FLAGS: 'a|b' },
};

const diff: ManifestDiff = {
  sections: [
    {
      title: 'kustomize build infra/k8s/overlays/prod',
      changes: diffResources(
        [deployment('ghcr.io/acme/backend:sha-1111111', 3)],
        [deployment('ghcr.io/acme/backend:sha-0a1b2c3', 3), configMap],
      ),
    },
    { title: 'infra/ files outside overlays', changes: [] },
  ],
  otherFiles: { added: [], removed: [], modified: ['infra/k8s/README.md'] },
};

describe('renderDiffMarkdown', () => {
  test('lists every changed object with a field table, added objects with their manifest', () => {
    // when
    const markdown = renderDiffMarkdown(diff, 'Manifest diff');
    // then
    expect(markdown).toMatchSnapshot();
    expect(markdown).toContain(
      '- `kustomize build infra/k8s/overlays/prod`: 1 added, 0 removed, 1 changed\n',
    );
    expect(markdown).toContain('- other generated files: 1 changed\n');
    expect(markdown).toContain('#### `kustomize build infra/k8s/overlays/prod`');
    expect(markdown).toContain(
      '| <code>spec.template.spec.containers[backend].image</code> | <code>ghcr.io/acme/backend:sha-1111111</code> | <code>ghcr.io/acme/backend:sha-0a1b2c3</code> |',
    );
    expect(markdown).toContain('##### ➕ added: `ConfigMap/production/flags`');
    expect(markdown).toContain('FLAGS: a|b');
    expect(markdown).toContain('M infra/k8s/README.md');
    expect(markdown).not.toContain('infra/ files outside overlays');
  });

  test('escapes pipes and markup inside table cells', () => {
    // given
    const changes = diffResources([configMap], [{ ...configMap, data: { FLAGS: '<b>|c' } }]);
    // when
    const markdown = renderDiffMarkdown(
      { sections: [{ title: 't', changes }], otherFiles: { added: [], removed: [], modified: [] } },
      'h',
    );
    // then
    expect(markdown).toContain(
      '| <code>data.FLAGS</code> | <code>a&#124;b</code> | <code>&lt;b&gt;&#124;c</code> |',
    );
  });

  test('says "No changes" for an empty diff', () => {
    // when
    const markdown = renderDiffMarkdown(
      { sections: [{ title: 't', changes: [] }], otherFiles: { added: [], removed: [], modified: [] } },
      'Manifest diff',
    );
    // then
    expect(markdown).toBe('### Manifest diff\n\nNo changes.\n');
  });

  test('is deterministic: the same diff in another order renders the same text', () => {
    // given
    const reordered = diffResources(
      [deployment('ghcr.io/acme/backend:sha-1111111', 3)],
      [configMap, deployment('ghcr.io/acme/backend:sha-0a1b2c3', 3)],
    );
    // when
    const markdown = renderDiffMarkdown(
      { ...diff, sections: [{ ...diff.sections[0], changes: reordered }, diff.sections[1]] },
      'Manifest diff',
    );
    // then
    expect(markdown).toBe(renderDiffMarkdown(diff, 'Manifest diff'));
  });
});
