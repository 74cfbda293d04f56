import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { allowedImagePattern, imageAdmissionPolicyObjects } from '../../../lib/access';
import { celSyntaxProblems } from './cel-checks';

const [policy, binding] = imageAdmissionPolicyObjects({
  namespace: 'production',
  allowedRepositoryPrefix: 'ghcr.io/robson/',
  shaTagLength: 7,
});
const spec = policy.spec as {
  failurePolicy: string;
  matchConstraints: { resourceRules: { apiGroups: string[]; resources: string[]; operations: string[] }[] };
  validations: { expression: string }[];
};

describe('imageAdmissionPolicyObjects', () => {
  test('is an admissionregistration.k8s.io/v1 policy and binding that deny in production only, failing closed', () => {
    // given / when / then
    expect(policy).toMatchObject({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'production-image-registry' },
    });
    expect(spec.failurePolicy).toBe('Fail');
    expect(binding).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'production-image-registry' },
      spec: {
        policyName: 'production-image-registry',
        validationActions: ['Deny'],
        matchResources: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'production' } },
        },
      },
    });
    expect(() => new ValidatingAdmissionPolicy(policy as never).validate()).not.toThrow();
    expect(() => new ValidatingAdmissionPolicyBinding(binding as never).validate()).not.toThrow();
  });

  test('matches every resource that starts containers, on create and update', () => {
    // given / when
    const matched = spec.matchConstraints.resourceRules.flatMap((rule) =>
      rule.resources.map((resource) => `${rule.apiGroups[0] || 'core'}/${resource}`),
    );
    // then
    expect(matched.sort()).toEqual([
      'apps/daemonsets',
      'apps/deployments',
      'apps/replicasets',
      'apps/statefulsets',
      'batch/cronjobs',
      'batch/jobs',
      'core/pods',
      'core/pods/ephemeralcontainers',
      'core/replicationcontrollers',
    ]);
    for (const rule of spec.matchConstraints.resourceRules)
      expect(rule.operations).toEqual(['CREATE', 'UPDATE']);
  });

  test('checks containers, init containers and ephemeral containers against the pattern', () => {
    // given / when
    const variables = (policy.spec as { variables: { name: string; expression: string }[] }).variables;
    const images = variables.find((v) => v.name === 'images')?.expression ?? '';
    // then
    for (const list of ['containers', 'initContainers', 'ephemeralContainers'])
      expect(images).toContain(list);
    expect(spec.validations[0].expression).toContain(allowedImagePattern('ghcr.io/robson/', 7));
    expect(celSyntaxProblems(policy)).toEqual([]);
  });
});

describe('allowedImagePattern', () => {
  const pattern = new RegExp(allowedImagePattern('ghcr.io/robson/', 7));

  test.each([
    'ghcr.io/robson/backend:sha-1d2e3f4',
    `ghcr.io/robson/backend@sha256:${'a'.repeat(64)}`,
    `ghcr.io/robson/backend:sha-1d2e3f4@sha256:${'0'.repeat(64)}`,
    'ghcr.io/robson/team/worker-cron:sha-0000000',
  ])('accepts %s', (image) => {
    // given / when / then
    expect(pattern.test(image)).toBe(true);
  });

  test.each([
    'ghcr.io/robson/backend:latest',
    'ghcr.io/robson/backend:dev',
    'ghcr.io/robson/backend',
    'ghcr.io/robson/backend:sha-1D2E3F4',
    'ghcr.io/robson/backend:sha-1d2e3f',
    'ghcr.io/robson/backend:sha-1d2e3f4a',
    'ghcr.io/robson/backend:sha-1d2e3f4a2b3c4d5e6f708192a3b4c5d6e7f80910',
    'ghcr.io/robsonx/backend:sha-1d2e3f4',
    'ghcrXio/robson/backend:sha-1d2e3f4',
    'docker.io/robson/backend:sha-1d2e3f4',
    'someone/backend:sha-1d2e3f4',
    'ghcr.io/robson/backend@sha256:abc',
    'evil.example/ghcr.io/robson/backend:sha-1d2e3f4',
    '',
  ])('fails for %s', (image) => {
    // given / when / then
    expect(pattern.test(image)).toBe(false);
  });

  test('fails for a prefix that is not a registry path ending with /', () => {
    // given / when / then
    expect(() => allowedImagePattern('ghcr.io/robson', 7)).toThrow(/ending with "\/"/);
    expect(() => allowedImagePattern("ghcr.io/ro'bson/", 7)).toThrow(/allowedRepositoryPrefix/);
  });

  test('fails for a tag length that CI cannot produce', () => {
    // given / when / then
    expect(() => allowedImagePattern('ghcr.io/robson/', 6)).toThrow(/sha tag length 6 is invalid/);
  });
});

describe('the message of imageAdmissionPolicyObjects', () => {
  test('says the tag length it expects', () => {
    // given / when
    const [validation] = (policy.spec as { validations: { message: string; messageExpression: string }[] })
      .validations;
    // then
    expect(validation.message).toContain('a sha- tag of exactly 7 lowercase hex digits or a sha256 digest');
    expect(validation.messageExpression).toContain('exactly 7 lowercase hex digits');
  });

  test('fails when the tag length is not passed (a caller written before it existed)', () => {
    // given / when / then
    expect(() =>
      imageAdmissionPolicyObjects({
        namespace: 'production',
        allowedRepositoryPrefix: 'ghcr.io/robson/',
      } as unknown as Parameters<typeof imageAdmissionPolicyObjects>[0]),
    ).toThrow(/image admission policy for production: shaTagLength is not set/);
  });
});
