import { KubeObject, PolicyOptions, evaluatePolicy } from '../../lib';
import { POD_SECURITY_RULES } from '../../lib/policy/pod-security-rules';
import { ALLOWED_REGISTRY, GOOD_IMAGE } from '../helpers/fixtures';
import { LoosePod, POD_SECURITY_CONTROLS, compliantPod } from './pod-security-controls';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};

const deployment = (edit?: (spec: LoosePod, metadata: LoosePod) => void): KubeObject => {
  const { metadata, spec } = compliantPod(GOOD_IMAGE);
  edit?.(spec, metadata);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'production' },
    spec: { selector: { matchLabels: { app: 'pss' } }, template: { metadata, spec } },
  };
};

/** Rule ids that fire, each once, in report order. */
const idsFor = (object: KubeObject): string[] => [
  ...new Set(evaluatePolicy([{ object }], options).map((violation) => violation.ruleId)),
];

describe('Pod Security Standards, control by control', () => {
  test('the compliant pod passes every rule', () => {
    expect(idsFor(deployment())).toEqual([]);
  });

  test.each(POD_SECURITY_CONTROLS.map((row) => [row.control, row.level, row] as const))(
    'fails on "%s" (%s), and that rule alone',
    (_control, _level, row) => {
      // when
      const ids = idsFor(deployment((spec, metadata) => row.edit(spec, metadata)));
      // then
      expect(ids).toEqual([row.rule]);
    },
  );

  test('every Pod Security rule is the rule of some control in the table', () => {
    const covered = new Set(POD_SECURITY_CONTROLS.map((row) => row.rule));
    expect(POD_SECURITY_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each<[string, (spec: LoosePod) => void, string]>([
    [
      'an Unconfined pod-level seccomp profile that every container overrides',
      (spec) => (spec.securityContext.seccompProfile = { type: 'Unconfined' }),
      'pod spec has seccomp profile Unconfined',
    ],
    [
      'user 0 at the pod level, overridden by the container',
      (spec) => {
        spec.securityContext.runAsUser = 0;
        spec.containers[0].securityContext.runAsUser = 10001;
      },
      'container "app" runs as user 0 (root)',
    ],
    [
      'a privileged ephemeral container',
      (spec) => {
        const { image, securityContext } = spec.containers[0];
        spec.ephemeralContainers = [
          { name: 'debug', image, securityContext: { ...securityContext, privileged: true } },
        ];
      },
      'ephemeral container "debug" is privileged',
    ],
  ])('fails on %s, as admission does', (_what, edit, message) => {
    // when
    const messages = evaluatePolicy([{ object: deployment((spec) => edit(spec)) }], options).map(
      (violation) => violation.message,
    );
    // then
    expect(messages).toContain(message);
  });

  test('NET_BIND_SERVICE, which "restricted" allows, is still refused: the policy is stricter', () => {
    const ids = idsFor(
      deployment((spec) => (spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE'])),
    );
    expect(ids).toEqual(['PSS003']);
  });
});
