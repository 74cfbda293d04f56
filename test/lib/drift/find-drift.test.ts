import { LiveObject, ManagedFieldsEntry, findDrift } from '../../../lib/drift/find-drift';
import { TRACKING_ID_ANNOTATION } from '../../../lib/drift/tracking-id';

const APP = 'robson-backend-prod';
const T = '2026-12-01T10:00:00Z';

/** What ArgoCD's client-side apply records: manager argocd-controller, operation Update. */
const argocdApply = (fieldsV1: ManagedFieldsEntry['fieldsV1']): ManagedFieldsEntry => ({
  manager: 'argocd-controller',
  operation: 'Update',
  apiVersion: 'v1',
  time: T,
  fieldsType: 'FieldsV1',
  fieldsV1,
});

const live = (
  apiVersion: string,
  kind: string,
  name: string,
  managedFields: ManagedFieldsEntry[],
  extra: {
    tracked?: string | false;
    ownerReferences?: LiveObject['metadata'] extends infer M
      ? M extends { ownerReferences?: infer O }
        ? O
        : never
      : never;
  } = {},
): LiveObject => {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const tracking =
    extra.tracked === false ? undefined : (extra.tracked ?? `${APP}:${group}/${kind}:production/${name}`);
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace: 'production',
      uid: `uid-${kind}-${name}`,
      creationTimestamp: T,
      ...(tracking ? { annotations: { [TRACKING_ID_ANNOTATION]: tracking } } : {}),
      ...(extra.ownerReferences ? { ownerReferences: extra.ownerReferences } : {}),
      managedFields,
    },
  };
};

const deploymentByArgoCd = argocdApply({
  'f:metadata': { 'f:annotations': { '.': {}, 'f:argocd.argoproj.io/tracking-id': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"backend"}': { '.': {}, 'f:image': {} } } } },
  },
});
const deploymentController: ManagedFieldsEntry[] = [
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    time: T,
    fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } },
  },
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    subresource: 'status',
    time: T,
    fieldsV1: { 'f:status': { 'f:replicas': {}, 'f:conditions': { '.': {} } } },
  },
];

describe('findDrift: hand changes in the fields of tracked objects', () => {
  test('a clean sync reports nothing: ArgoCD set the fields, the controllers kept the books', () => {
    // given
    const objects = [
      live('apps/v1', 'Deployment', 'backend', [deploymentByArgoCd, ...deploymentController]),
      live('v1', 'ConfigMap', 'backend-config', [argocdApply({ 'f:data': { '.': {}, 'f:LOG_LEVEL': {} } })]),
    ];
    // when / then
    expect(findDrift(objects, { applications: [APP] })).toEqual([]);
  });

  test('names every field a hand manager set, with its manager, operation, subresource and time', () => {
    // given kubectl set env, kubectl scale and kubectl patch after ArgoCD's sync
    const setEnv: ManagedFieldsEntry = {
      manager: 'kubectl-set',
      operation: 'Update',
      time: '2026-12-01T10:05:00Z',
      fieldsV1: {
        'f:spec': {
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"backend"}': {
                  'f:env': { '.': {}, 'k:{"name":"EXTRA"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                },
              },
            },
          },
        },
      },
    };
    const scale: ManagedFieldsEntry = {
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      time: '2026-12-01T10:06:00Z',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    const patch: ManagedFieldsEntry = {
      manager: 'kubectl-patch',
      operation: 'Update',
      time: '2026-12-01T10:07:00Z',
      fieldsV1: { 'f:data': { 'f:EXTRA_KEY': {} } },
    };
    const objects = [
      live('apps/v1', 'Deployment', 'backend', [deploymentByArgoCd, ...deploymentController, setEnv, scale]),
      live('v1', 'ConfigMap', 'backend-config', [argocdApply({ 'f:data': { 'f:LOG_LEVEL': {} } }), patch]),
    ];
    // when
    const findings = findDrift(objects, { applications: [APP] });
    // then
    expect(
      findings.map((f) => [f.object.kind, f.field, f.manager, f.operation, f.subresource, f.time]),
    ).toEqual([
      ['ConfigMap', 'data.EXTRA_KEY', 'kubectl-patch', 'Update', undefined, '2026-12-01T10:07:00Z'],
      ['Deployment', 'spec.replicas', 'kubectl', 'Update', 'scale', '2026-12-01T10:06:00Z'],
      [
        'Deployment',
        'spec.template.spec.containers[name="backend"].env[name="EXTRA"]',
        'kubectl-set',
        'Update',
        undefined,
        '2026-12-01T10:05:00Z',
      ],
    ]);
    expect(findings.every((f) => f.application === APP)).toBe(true);
  });

  test("ArgoCD's server-side apply (operation Apply) is GitOps too; status is never a finding", () => {
    // given
    const objects = [
      live('apps/v1', 'Deployment', 'backend', [
        { ...deploymentByArgoCd, operation: 'Apply' },
        {
          manager: 'kubectl-edit',
          operation: 'Update',
          subresource: 'status',
          time: T,
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
        {
          manager: 'someone',
          operation: 'Update',
          time: T,
          fieldsV1: { 'f:status': { 'f:observedGeneration': {} } },
        },
      ]),
    ];
    // when / then
    expect(findDrift(objects, { applications: [APP] })).toEqual([]);
  });

  test('a manager counts as GitOps or controller only as configured', () => {
    // given a cluster where a mutating webhook writes defaults as "policy-defaulter"
    const objects = [
      live('v1', 'ConfigMap', 'c', [
        argocdApply({ 'f:data': { 'f:A': {} } }),
        { manager: 'policy-defaulter', operation: 'Update', time: T, fieldsV1: { 'f:data': { 'f:B': {} } } },
      ]),
    ];
    // when
    const strict = findDrift(objects, { applications: [APP] });
    const allowed = findDrift(objects, {
      applications: [APP],
      managers: { gitops: ['argocd-controller'], controllers: ['policy-defaulter'] },
    });
    // then
    expect(strict.map((f) => f.field)).toEqual(['data.B']);
    expect(allowed).toEqual([]);
  });
});

describe('findDrift: objects ArgoCD does not track', () => {
  test('names an object created by hand, with the manager that created it', () => {
    // given `kubectl create configmap extra`
    const objects = [
      live(
        'v1',
        'ConfigMap',
        'extra',
        [
          {
            manager: 'kubectl-create',
            operation: 'Update',
            time: T,
            fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
          },
        ],
        {
          tracked: false,
        },
      ),
    ];
    // when
    const findings = findDrift(objects, { applications: [APP] });
    // then
    expect(findings).toEqual([
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'production', name: 'extra' },
        reason: `not tracked by ArgoCD: no ${TRACKING_ID_ANNOTATION} annotation`,
        manager: 'kubectl-create',
        operation: 'Update',
        time: T,
      },
    ]);
  });

  test('names an object with a copied tracking id, and one tracked by an Application we do not declare', () => {
    const objects = [
      live(
        'v1',
        'Secret',
        'copy',
        [{ manager: 'kubectl-client-side-apply', operation: 'Update', time: T, fieldsV1: { 'f:data': {} } }],
        {
          tracked: `${APP}:/Secret:production/original`,
        },
      ),
      live('v1', 'Secret', 'theirs', [argocdApply({ 'f:data': {} })], {
        tracked: 'other-app:/Secret:production/theirs',
      }),
    ];
    // when
    const findings = findDrift(objects, { applications: [APP] });
    // then
    expect(findings.map((f) => [f.object.name, f.manager, f.reason])).toEqual([
      ['copy', 'kubectl-client-side-apply', expect.stringContaining('names another object')],
      [
        'theirs',
        'argocd-controller',
        'tracked by Application "other-app", which this repository does not declare',
      ],
    ]);
  });

  test("leaves out what the cluster makes: owned objects, Events and Leases, the namespace's default objects, controllers' objects", () => {
    // given
    const kcm: ManagedFieldsEntry[] = [
      { manager: 'kube-controller-manager', operation: 'Update', time: T, fieldsV1: { 'f:spec': {} } },
    ];
    const byHand: ManagedFieldsEntry[] = [
      { manager: 'kubectl-create', operation: 'Update', time: T, fieldsV1: { 'f:spec': {} } },
    ];
    const objects = [
      live('apps/v1', 'Deployment', 'backend', [deploymentByArgoCd]),
      live('apps/v1', 'ReplicaSet', 'backend-7d9', kcm, {
        tracked: false,
        ownerReferences: [{ uid: 'uid-Deployment-backend', kind: 'Deployment', name: 'backend' }],
      }),
      live(
        'v1',
        'Pod',
        'backend-7d9-x',
        [{ manager: 'kubelet', operation: 'Update', time: T, fieldsV1: {} }],
        {
          tracked: false,
          ownerReferences: [{ uid: 'uid-ReplicaSet-backend-7d9', kind: 'ReplicaSet', name: 'backend-7d9' }],
        },
      ),
      live('v1', 'Event', 'backend.1', byHand, { tracked: false }),
      live('events.k8s.io/v1', 'Event', 'backend.2', byHand, { tracked: false }),
      live('coordination.k8s.io/v1', 'Lease', 'leader', byHand, { tracked: false }),
      live('discovery.k8s.io/v1', 'EndpointSlice', 'backend-abc', kcm, { tracked: false }),
      live('v1', 'ServiceAccount', 'default', byHand, { tracked: false }),
      live('v1', 'ConfigMap', 'kube-root-ca.crt', kcm, { tracked: false }),
      live('v1', 'Secret', 'made-by-a-controller', kcm, { tracked: false }),
    ];
    // when / then
    expect(findDrift(objects, { applications: [APP] })).toEqual([]);
  });

  test('an object without managedFields is still named, its manager unknown', () => {
    const object = live('v1', 'ConfigMap', 'old', [], { tracked: false });
    expect(findDrift([object], { applications: [APP] }).map((f) => [f.object.name, f.manager])).toEqual([
      ['old', '(unknown)'],
    ]);
  });

  test('leaves out the objects the repository applies another way (infra/cluster/ by Pulumi), and only those', () => {
    // given a Role from infra/cluster/ and one made by hand
    const pulumi: ManagedFieldsEntry[] = [
      { manager: 'pulumi-kubernetes-1a2b3c4d', operation: 'Apply', time: T, fieldsV1: { 'f:rules': {} } },
    ];
    const objects = [
      live('rbac.authorization.k8s.io/v1', 'Role', 'read-only', pulumi, { tracked: false }),
      live('rbac.authorization.k8s.io/v1', 'Role', 'extra', pulumi, { tracked: false }),
    ];
    const declared = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'read-only', namespace: 'production' },
      },
    ];
    // when
    const findings = findDrift(objects, { applications: [APP], appliedElsewhere: declared });
    // then
    expect(findings.map((f) => f.object.name)).toEqual(['extra']);
  });
});
