import {
  AccessSubject,
  ResourceAttributes,
  clusterRole,
  clusterRoleBinding,
  groupSubject,
  isAllowed,
  role,
  roleBinding,
  ruleAllows,
  serviceAccountSubject,
  userSubject,
} from '../../../lib/access';

const alice: AccessSubject = { user: 'alice', groups: ['team', 'system:authenticated'] };
const getPods: ResourceAttributes = { namespace: 'prod', verb: 'get', group: '', resource: 'pods' };

describe('ruleAllows', () => {
  test.each([
    ['exact match', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, getPods, true],
    ['verb wildcard', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }, getPods, true],
    ['group wildcard', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }, getPods, true],
    [
      'resource wildcard covers subresources',
      { apiGroups: [''], resources: ['*'], verbs: ['create'] },
      { ...getPods, verb: 'create', subresource: 'exec' },
      true,
    ],
    [
      '*/subresource',
      { apiGroups: [''], resources: ['*/log'], verbs: ['get'] },
      { ...getPods, subresource: 'log' },
      true,
    ],
    [
      'resourceNames match',
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { ...getPods, name: 'a' },
      true,
    ],
  ])('allows: %s', (_name, rule, request, expected) => {
    // given a rule and a request
    // when
    const allowed = ruleAllows(rule, request);
    // then
    expect(allowed).toBe(expected);
  });

  test.each([
    ['other verb', { apiGroups: [''], resources: ['pods'], verbs: ['list'] }, getPods],
    ['other group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }, getPods],
    [
      'a resource does not cover its subresources',
      { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
      { ...getPods, verb: 'create', subresource: 'exec' },
    ],
    [
      'a subresource does not cover its resource',
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      getPods,
    ],
    [
      'resourceNames, other name',
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { ...getPods, name: 'b' },
    ],
    [
      'resourceNames, no name (list, create)',
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      getPods,
    ],
  ])('fails to allow: %s', (_name, rule, request) => {
    // given a rule that does not cover the request
    // when
    const allowed = ruleAllows(rule, request);
    // then
    expect(allowed).toBe(false);
  });
});

describe('isAllowed', () => {
  const readPods = [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }];

  test('a RoleBinding grants its Role in its own namespace only', () => {
    // given
    const objects = [
      role('prod', 'reader', readPods),
      roleBinding('prod', 'reader', 'reader', [groupSubject('team')]),
    ];
    // when / then
    expect(isAllowed(objects, alice, getPods)).toBe(true);
    expect(isAllowed(objects, alice, { ...getPods, namespace: 'other' })).toBe(false);
    expect(isAllowed(objects, alice, { ...getPods, namespace: undefined })).toBe(false);
  });

  test('fails when the subject is not bound', () => {
    // given a binding to another group
    const objects = [
      role('prod', 'reader', readPods),
      roleBinding('prod', 'reader', 'reader', [groupSubject('others')]),
    ];
    // when
    const allowed = isAllowed(objects, alice, getPods);
    // then
    expect(allowed).toBe(false);
  });

  test('fails when the bound Role is in another namespace or missing', () => {
    // given a binding in prod naming a Role that exists only in staging
    const objects = [
      role('staging', 'reader', readPods),
      roleBinding('prod', 'reader', 'reader', [userSubject('alice')]),
    ];
    // when
    const allowed = isAllowed(objects, alice, getPods);
    // then
    expect(allowed).toBe(false);
  });

  test('a ClusterRoleBinding grants everywhere, including cluster-wide requests', () => {
    // given
    const objects = [
      clusterRole('pod-reader', [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get'] }]),
      clusterRoleBinding('pod-reader', 'pod-reader', [userSubject('alice')]),
    ];
    // when / then
    expect(isAllowed(objects, alice, { ...getPods, namespace: 'anywhere' })).toBe(true);
    expect(isAllowed(objects, alice, { verb: 'get', group: '', resource: 'namespaces', name: 'prod' })).toBe(
      true,
    );
  });

  test('a RoleBinding to a ClusterRole grants it in the binding namespace only', () => {
    // given
    const objects = [
      clusterRole('pod-reader', readPods),
      {
        ...roleBinding('prod', 'b', 'pod-reader', [userSubject('alice')]),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' },
      },
    ];
    // when / then
    expect(isAllowed(objects, alice, getPods)).toBe(true);
    expect(isAllowed(objects, alice, { ...getPods, namespace: 'other' })).toBe(false);
  });

  test('a service account subject matches its system:serviceaccount user name only', () => {
    // given
    const objects = [
      role('prod', 'r', readPods),
      roleBinding('prod', 'r', 'r', [serviceAccountSubject({ namespace: 'ci', name: 'bot' })]),
    ];
    // when / then
    expect(isAllowed(objects, { user: 'system:serviceaccount:ci:bot', groups: [] }, getPods)).toBe(true);
    expect(isAllowed(objects, { user: 'system:serviceaccount:prod:bot', groups: [] }, getPods)).toBe(false);
  });
});
