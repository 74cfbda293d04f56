import { formatDriftJson, formatDriftTable } from '../../../lib/drift/drift-report';
import { DriftFinding } from '../../../lib/drift/find-drift';

const field: DriftFinding = {
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'production', name: 'backend' },
  field: 'spec.replicas',
  reason: 'set by kubectl, not by ArgoCD',
  manager: 'kubectl',
  operation: 'Update',
  subresource: 'scale',
  time: '2026-12-01T10:06:00Z',
  application: 'robson-backend-prod',
};
const object: DriftFinding = {
  object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'production', name: 'extra' },
  reason: 'not tracked by ArgoCD: no argocd.argoproj.io/tracking-id annotation',
  manager: 'kubectl-create',
  operation: 'Update',
  time: '2026-12-01T10:07:00Z',
};

describe('drift report', () => {
  test('a table with object, field, manager, operation and time, then why each object is listed', () => {
    // when
    const table = formatDriftTable([field, object]);
    // then
    expect(table.split('\n')).toEqual([
      'OBJECT                              FIELD           MANAGER         OPERATION       TIME',
      'Deployment.apps production/backend  spec.replicas   kubectl         Update (scale)  2026-12-01T10:06:00Z',
      'ConfigMap production/extra          (whole object)  kubectl-create  Update          2026-12-01T10:07:00Z',
      '',
      'ConfigMap production/extra: not tracked by ArgoCD: no argocd.argoproj.io/tracking-id annotation',
      '',
    ]);
  });

  test('no finding is one line saying so', () => {
    expect(formatDriftTable([])).toMatch(/^no hand change/);
  });

  test('JSON holds what was checked and every finding', () => {
    const parsed = JSON.parse(
      formatDriftJson([field, object], { server: 'https://x', namespaces: ['production'], objects: 9 }),
    );
    expect(parsed).toEqual({
      server: 'https://x',
      namespaces: ['production'],
      objects: 9,
      findings: [field, object],
    });
  });
});
