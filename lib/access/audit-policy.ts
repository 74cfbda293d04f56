/** How long the API server keeps audit log files. */
export const AUDIT_RETENTION_DAYS = 30;

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** The API-server audit policy file format, `audit.k8s.io/v1` Policy. */
export interface AuditPolicyDocument {
  readonly apiVersion: 'audit.k8s.io/v1';
  readonly kind: 'Policy';
  readonly omitStages: readonly string[];
  readonly rules: readonly Record<string, unknown>[];
}

export interface AuditPolicyProps {
  /** Namespaces in which every write is recorded with its request and response bodies. */
  readonly namespaces: readonly string[];
  /**
   * Groups whose every request is recorded with bodies. The API server chooses the audit level from the
   * authenticated user, before impersonation, so the groups allowed to impersonate the break-glass identity
   * belong here (as well as the break-glass group itself).
   */
  readonly privilegedGroups: readonly string[];
}

/**
 * An audit policy for kube-apiserver (`--audit-policy-file`). The first matching rule sets the level:
 * 1. secrets, service-account tokens and token reviews: `Metadata` for everyone, so credentials never
 *    reach the log, while who touched which secret does;
 * 2. every request of `privilegedGroups` (break-glass sessions): `RequestResponse`;
 * 3. every write in `namespaces`: `RequestResponse`;
 * 4. every write to RBAC, admission policies and namespaces anywhere: `RequestResponse`;
 * 5. reads in `namespaces`: `Metadata`; 6. other writes: `Metadata`; 7. everything else: not logged.
 * @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
 */
export function auditPolicyDocument(props: AuditPolicyProps): AuditPolicyDocument {
  if (props.namespaces.length === 0 || props.privilegedGroups.length === 0) {
    throw new Error('auditPolicyDocument: namespaces and privilegedGroups must each name at least one entry');
  }
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        ],
      },
      { level: 'RequestResponse', userGroups: [...props.privilegedGroups] },
      { level: 'RequestResponse', namespaces: [...props.namespaces], verbs: WRITE_VERBS },
      {
        level: 'RequestResponse',
        verbs: WRITE_VERBS,
        resources: [
          { group: 'rbac.authorization.k8s.io' },
          { group: 'admissionregistration.k8s.io' },
          { group: '', resources: ['namespaces'] },
        ],
      },
      { level: 'Metadata', namespaces: [...props.namespaces] },
      { level: 'Metadata', verbs: WRITE_VERBS },
      { level: 'None' },
    ],
  };
}

/** Where the API server reads the policy and writes the log. */
export interface AuditLogFlagsProps {
  readonly policyFile: string;
  readonly logFile: string;
}

/**
 * kube-apiserver flags that load the policy and keep `AUDIT_RETENTION_DAYS` days of log files: files
 * older than that are deleted, and none is deleted earlier because of its count (`maxbackup=0`).
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
 */
export function auditLogFlags(props: AuditLogFlagsProps): string[] {
  return [
    `--audit-policy-file=${props.policyFile}`,
    `--audit-log-path=${props.logFile}`,
    '--audit-log-format=json',
    `--audit-log-maxage=${AUDIT_RETENTION_DAYS}`,
    '--audit-log-maxbackup=0',
    '--audit-log-maxsize=100',
  ];
}
