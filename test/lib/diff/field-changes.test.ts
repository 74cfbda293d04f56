import { fieldChanges } from '../../../lib';

describe('fieldChanges', () => {
  test('reports changed, added and removed leaves by path, list elements with a name by name', () => {
    // given
    const before = {
      spec: {
        replicas: 2,
        containers: [
          { name: 'app', image: 'app:sha-1111111', args: ['--a'] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
      metadata: { annotations: { 'example.com/owner': 'team-a' } },
    };
    const after = {
      spec: {
        replicas: 3,
        containers: [{ name: 'app', image: 'app:sha-0a1b2c3', args: ['--a', '--b'] }],
        paused: false,
      },
      metadata: { annotations: { 'example.com/owner': 'team-b' } },
    };
    // when
    const changes = fieldChanges(before, after);
    // then
    expect(changes).toEqual([
      { path: 'metadata.annotations["example.com/owner"]', before: 'team-a', after: 'team-b' },
      { path: 'spec.containers[app].args[1]', after: '--b' },
      { path: 'spec.containers[app].image', before: 'app:sha-1111111', after: 'app:sha-0a1b2c3' },
      { path: 'spec.containers[sidecar]', before: { name: 'sidecar', image: 'proxy:1' } },
      { path: 'spec.paused', after: false },
      { path: 'spec.replicas', before: 2, after: 3 },
    ]);
  });

  test('reports a change of type as one change with both values', () => {
    // when
    const changes = fieldChanges({ data: { a: '1' } }, { data: 'a=1' });
    // then
    expect(changes).toEqual([{ path: 'data', before: { a: '1' }, after: 'a=1' }]);
  });

  test('reports nothing for equal objects', () => {
    // when / then
    expect(fieldChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  test('fails to match list elements by name when names repeat, and falls back to positions', () => {
    // when
    const changes = fieldChanges(
      {
        l: [
          { name: 'x', v: 1 },
          { name: 'x', v: 2 },
        ],
      },
      {
        l: [
          { name: 'x', v: 1 },
          { name: 'x', v: 3 },
        ],
      },
    );
    // then
    expect(changes).toEqual([{ path: 'l[1].v', before: 2, after: 3 }]);
  });
});
