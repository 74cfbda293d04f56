import { celListOrEmpty, celMapOrEmpty, celString, celStrings } from '../../../lib/access';
import { celSyntaxProblems } from './cel-checks';

describe('CEL builders', () => {
  test('write quoted literals and has()-guarded fields', () => {
    // given / when / then
    expect(celString('a:b')).toBe("'a:b'");
    expect(celStrings(['x', 'y'])).toBe("['x', 'y']");
    expect(celListOrEmpty('s', 'initContainers')).toBe('(has(s.initContainers) ? s.initContainers : [])');
    expect(celMapOrEmpty('m', 'labels')).toBe('(has(m.labels) ? m.labels : {})');
  });

  test.each(["it's", 'back\\slash', 'double"quote'])('fails to quote %s', (value) => {
    // given / when / then
    expect(() => celString(value)).toThrow(/quote or backslash/);
  });
});

describe('celSyntaxProblems (test helper)', () => {
  test('fails on unbalanced brackets, undeclared variables and leaked undefined', () => {
    // given
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      spec: {
        variables: [{ name: 'a', expression: 'object.spec' }],
        validations: [{ expression: 'size(variables.a' }, { expression: 'variables.b == undefined' }],
      },
    };
    // when
    const problems = celSyntaxProblems(policy);
    // then
    expect(problems).toEqual([
      'unbalanced brackets: size(variables.a',
      'contains undefined: variables.b == undefined',
      'undeclared variables.b: variables.b == undefined',
    ]);
  });
});
