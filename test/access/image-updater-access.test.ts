import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { IMAGE_UPDATER_RULES, celSameExcept, imageUpdaterAccessObjects } from '../../lib/access';
import { celSyntaxProblems } from './cel-checks';

const props = { namespace: 'production', serviceAccount: { namespace: 'ci', name: 'ci-image-updater' } };

describe('imageUpdaterAccessObjects', () => {
  const [serviceAccount, role, binding, policy, policyBinding] = imageUpdaterAccessObjects(props);
  const spec = policy.spec as {
    failurePolicy: string;
    matchConditions: { expression: string }[];
    matchConstraints: { resourceRules: { resources: string[]; operations: string[] }[] };
    validations: { expression: string; message: string }[];
  };

  test('declares the service account in its own namespace, with no mounted token', () => {
    // given / when / then
    expect(serviceAccount).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'ci-image-updater', namespace: 'ci' },
      automountServiceAccountToken: false,
    });
  });

  test('grants only get and patch on deployments, statefulsets, daemonsets and cronjobs in the namespace', () => {
    // given / when / then
    expect(role).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'image-updater', namespace: 'production' },
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['daemonsets', 'deployments', 'statefulsets'],
          verbs: ['get', 'patch'],
        },
        { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'patch'] },
      ],
    });
    expect(IMAGE_UPDATER_RULES.flatMap((rule) => rule.resources).some((r) => r.includes('/'))).toBe(false);
    expect(binding).toMatchObject({
      metadata: { namespace: 'production' },
      roleRef: { kind: 'Role', name: 'image-updater' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci-image-updater', namespace: 'ci' }],
    });
  });

  test('has a v1 admission policy limited to the account, failing closed, bound everywhere with Deny', () => {
    // given / when / then
    expect(policy).toMatchObject({
      apiVersion: 'admissionregistration.k8s.io/v1',
      metadata: { name: 'image-updater-images-only' },
    });
    expect(spec.failurePolicy).toBe('Fail');
    expect(spec.matchConditions).toEqual([
      {
        name: 'request-by-image-updater',
        expression: "request.userInfo.username == 'system:serviceaccount:ci:ci-image-updater'",
      },
    ]);
    expect(spec.matchConstraints.resourceRules.flatMap((rule) => rule.resources).sort()).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'statefulsets',
    ]);
    expect(policyBinding).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'image-updater-images-only' },
      spec: { policyName: 'image-updater-images-only', validationActions: ['Deny'] },
    });
    expect(() => new ValidatingAdmissionPolicy(policy as never).validate()).not.toThrow();
    expect(celSyntaxProblems(policy)).toEqual([]);
  });

  test('compares object with oldObject: metadata, workload spec, pod template and containers except image', () => {
    // given / when
    const expressions = spec.validations.map((v) => v.expression);
    // then
    expect(expressions[0]).toBe("request.operation == 'UPDATE'");
    expect(expressions[1]).toContain('object.metadata.labels');
    expect(expressions[1]).toContain('oldObject.metadata.annotations');
    expect(expressions[2]).toContain(celSameExcept('dyn(object).spec', 'dyn(oldObject).spec', ['template']));
    expect(expressions[2]).toContain(
      celSameExcept('dyn(object).spec', 'dyn(oldObject).spec', ['jobTemplate']),
    );
    expect(expressions[3]).toContain(
      celSameExcept('variables.newTemplate.spec', 'variables.oldTemplate.spec', [
        'containers',
        'initContainers',
      ]),
    );
    expect(expressions[4]).toContain(celSameExcept('c', 'o', ['image']));
    expect(expressions[4]).toContain('initContainers');
    for (const expression of expressions.slice(1))
      expect(expression.startsWith("!(request.operation == 'UPDATE') || ")).toBe(true);
  });

  test('fails when the account lives in the namespace it updates', () => {
    // given / when / then
    expect(() =>
      imageUpdaterAccessObjects({
        ...props,
        serviceAccount: { namespace: 'production', name: 'ci-image-updater' },
      }),
    ).toThrow(/own namespace/);
  });
});

describe('celSameExcept', () => {
  test('compares both ways, through dyn(), skipping the ignored keys', () => {
    // given / when
    const cel = celSameExcept('a', 'b', ['x']);
    // then
    expect(cel).toBe(
      "(dyn(a).all(k, k in ['x'] || (k in dyn(b) && dyn(a)[k] == dyn(b)[k])) && dyn(b).all(k, k in ['x'] || k in dyn(a)))",
    );
  });
});
