import { KubeObject, ResourceChangeType, diffResources, redactSecrets, resourceId } from '../../../lib';

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'production' },
  data,
});

describe('diffResources', () => {
  test('matches objects by kind, namespace and name, sorted by id', () => {
    // given
    const before = [configMap('b', { x: '1' }), configMap('a', { x: '1' }), configMap('gone', {})];
    const after = [configMap('new', {}), configMap('a', { x: '2' }), configMap('b', { x: '1' })];
    // when
    const changes = diffResources(before, after);
    // then
    expect(changes.map((change) => [change.id, change.type])).toEqual([
      ['ConfigMap/production/a', ResourceChangeType.CHANGED],
      ['ConfigMap/production/gone', ResourceChangeType.REMOVED],
      ['ConfigMap/production/new', ResourceChangeType.ADDED],
    ]);
    expect(changes[0].fields).toEqual([{ path: 'data.x', before: '1', after: '2' }]);
    expect(changes[2].object).toEqual(configMap('new', {}));
  });

  test('names cluster-scoped objects without a namespace', () => {
    // when
    const id = resourceId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } });
    // then
    expect(id).toBe('Namespace/production');
  });

  test('never shows secret values, but still shows that they changed', () => {
    // given
    const secret = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'production' },
      stringData: { password: value },
    });
    // when
    const [change] = diffResources([secret('old-password')], [secret('new-password')]);
    // then
    expect(change.fields).toHaveLength(1);
    expect(JSON.stringify(change)).not.toMatch(/old-password|new-password/);
    expect(String(change.fields[0].after)).toMatch(/^<redacted sha256:[0-9a-f]{12}>$/);
    expect(redactSecrets(configMap('c', { a: 'visible' }))).toEqual(configMap('c', { a: 'visible' }));
  });

  test('keeps two objects with the same id apart instead of overwriting one', () => {
    // when
    const changes = diffResources([], [configMap('a', {}), configMap('a', { x: '1' })]);
    // then
    expect(changes.map((change) => change.id)).toEqual([
      'ConfigMap/production/a',
      'ConfigMap/production/a (#2)',
    ]);
  });
});
