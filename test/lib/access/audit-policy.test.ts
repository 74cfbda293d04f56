import { AUDIT_RETENTION_DAYS, auditLogFlags, auditPolicyDocument } from '../../../lib/access';

const policy = auditPolicyDocument({
  namespaces: ['production'],
  privilegedGroups: ['robson:oncall', 'robson:break-glass'],
});
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

describe('auditPolicyDocument', () => {
  test('is an audit.k8s.io/v1 Policy without the RequestReceived stage', () => {
    // given / when / then
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.kind).toBe('Policy');
    expect(policy.omitStages).toEqual(['RequestReceived']);
  });

  test('logs break-glass sessions (the impersonating requesters) and every write in production with bodies', () => {
    // given / when
    const levels = policy.rules.map((rule) => rule.level);
    // then
    expect(policy.rules[1]).toEqual({
      level: 'RequestResponse',
      userGroups: ['robson:oncall', 'robson:break-glass'],
    });
    expect(policy.rules[2]).toEqual({ level: 'RequestResponse', namespaces: ['production'], verbs: WRITES });
    expect(levels).toEqual([
      'Metadata',
      'RequestResponse',
      'RequestResponse',
      'RequestResponse',
      'Metadata',
      'Metadata',
      'None',
    ]);
  });

  test('never logs secret values or tokens, whoever asks: that rule comes first', () => {
    // given / when / then
    expect(policy.rules[0]).toEqual({
      level: 'Metadata',
      resources: [
        { group: '', resources: ['secrets', 'serviceaccounts/token'] },
        { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      ],
    });
  });

  test('only uses fields of the audit.k8s.io/v1 PolicyRule', () => {
    // given
    const fields = new Set([
      'level',
      'users',
      'userGroups',
      'verbs',
      'resources',
      'namespaces',
      'nonResourceURLs',
      'omitStages',
      'omitManagedFields',
    ]);
    const levels = new Set(['None', 'Metadata', 'Request', 'RequestResponse']);
    // when / then
    for (const rule of policy.rules) {
      for (const key of Object.keys(rule)) expect(fields.has(key)).toBe(true);
      expect(levels.has(rule.level as string)).toBe(true);
    }
  });

  test('fails without namespaces or groups', () => {
    // given / when / then
    expect(() => auditPolicyDocument({ namespaces: [], privilegedGroups: ['g'] })).toThrow(/at least one/);
    expect(() => auditPolicyDocument({ namespaces: ['p'], privilegedGroups: [] })).toThrow(/at least one/);
  });
});

describe('auditLogFlags', () => {
  test(`keep ${AUDIT_RETENTION_DAYS} days of logs, whatever their number`, () => {
    // given / when
    const flags = auditLogFlags({ policyFile: '/etc/p.yaml', logFile: '/var/log/a.log' });
    // then
    expect(AUDIT_RETENTION_DAYS).toBe(30);
    expect(flags).toEqual([
      '--audit-policy-file=/etc/p.yaml',
      '--audit-log-path=/var/log/a.log',
      '--audit-log-format=json',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=0',
      '--audit-log-maxsize=100',
    ]);
  });
});
