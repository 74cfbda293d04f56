import { strategicMergePatch } from '../../../lib';

describe('strategicMergePatch', () => {
  test('is undefined for equal values', () => {
    expect(strategicMergePatch({ a: [1, 2], b: { c: 'd' } }, { a: [1, 2], b: { c: 'd' } })).toBeUndefined();
  });

  test('keeps only changed fields, and null for removed ones', () => {
    // when
    const patch = strategicMergePatch({ a: 1, b: 2, c: { d: 3, e: 4 } }, { a: 1, c: { d: 3, e: 5 }, f: 6 });
    // then
    expect(patch).toEqual({ b: null, c: { e: 5 }, f: 6 });
  });

  test('merges containers by name', () => {
    // given
    const base = {
      containers: [
        { name: 'app', image: 'x', resources: { cpu: '1' } },
        { name: 'side', image: 'y' },
      ],
    };
    const target = {
      containers: [
        { name: 'app', image: 'x', resources: { cpu: '2' } },
        { name: 'side', image: 'y' },
      ],
    };
    // then
    expect(strategicMergePatch(base, target)).toEqual({
      containers: [{ name: 'app', resources: { cpu: '2' } }],
    });
  });

  test('fails on a removed container, which a merge patch cannot express', () => {
    // given
    const base = { containers: [{ name: 'app' }, { name: 'side' }] };
    // then
    expect(() => strategicMergePatch(base, { containers: [{ name: 'app' }] })).toThrow(/cannot remove side/);
  });

  test("replaces an Ingress's rules and tls whole: lists without a merge key", () => {
    // given
    const base = { rules: [{ host: 'api' }], tls: [{ hosts: ['api'], secretName: 'api-tls' }] };
    const target = {
      rules: [{ host: 'api.example.com' }],
      tls: [{ hosts: ['api.example.com'], secretName: 'x' }],
    };
    // then
    expect(strategicMergePatch(base, target)).toEqual(target);
  });

  test('fails on a changed list that is not merged by name', () => {
    expect(() => strategicMergePatch({ ports: [{ port: 80 }] }, { ports: [{ port: 81 }] })).toThrow(
      /\.ports/,
    );
  });
});
