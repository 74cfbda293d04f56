import { DEFAULT_POD_SECURITY_VERSION, restrictedNamespaceObject } from '../../../lib/access';

describe('restrictedNamespaceObject', () => {
  test('enforces, audits and warns with Pod Security "restricted" at a pinned version', () => {
    // given / when
    const namespace = restrictedNamespaceObject({ name: 'production' });
    // then
    expect(namespace).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'production',
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': DEFAULT_POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': DEFAULT_POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': DEFAULT_POD_SECURITY_VERSION,
        },
      },
    });
    expect(DEFAULT_POD_SECURITY_VERSION).toMatch(/^v1\.\d+$/);
  });

  test.each(['latest', 'v1.34'])('accepts podSecurityVersion %s', (version) => {
    // given / when
    const labels = restrictedNamespaceObject({ name: 'p', podSecurityVersion: version }).metadata?.labels;
    // then
    expect(labels?.['pod-security.kubernetes.io/enforce-version']).toBe(version);
  });

  test.each(['1.33', 'v2', ''])('fails for podSecurityVersion "%s"', (version) => {
    // given / when / then
    expect(() => restrictedNamespaceObject({ name: 'p', podSecurityVersion: version })).toThrow(
      /podSecurityVersion/,
    );
  });
});
