import { KubeObject, PolicyOptions, evaluatePolicy } from '../../../lib';
import { HARDENING_RULES } from '../../../lib/policy/hardening-rules';
import { POD_SECURITY_RULES } from '../../../lib/policy/pod-security-rules';
import { ALLOWED_REGISTRY, GOOD_IMAGE } from '../../helpers/fixtures';
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

  test.each<[string, (spec: LoosePod) => void]>([
    ['hostPort: null', (spec) => (spec.containers[0].ports = [{ containerPort: 8080, hostPort: null }])],
    ['procMount: null', (spec) => (spec.containers[0].securityContext.procMount = null)],
    ['a probe with host: null', (spec) => (spec.containers[0].readinessProbe.httpGet.host = null)],
    [
      'an SELinux type null',
      (spec) => (spec.securityContext.seLinuxOptions = { type: null, level: 's0:c1' }),
    ],
  ])('passes on %s, which the API server reads as unset, as admission does', (_what, edit) => {
    expect(idsFor(deployment((spec) => edit(spec)))).toEqual([]);
  });
});

/**
 * A Windows pod as the API accepts one: it may not set seccompProfile, capabilities,
 * allowPrivilegeEscalation, readOnlyRootFilesystem or runAsUser (the container keeps runAsNonRoot only).
 */
const windows = (spec: LoosePod): void => {
  spec.os = { name: 'windows' };
  delete spec.securityContext.seccompProfile;
  delete spec.securityContext.runAsUser;
  const { runAsNonRoot } = spec.containers[0].securityContext;
  spec.containers[0].securityContext = { runAsNonRoot };
};

describe('production hardening beyond "restricted" (HARD…), never reported as Pod Security', () => {
  test.each<[string, string, (spec: LoosePod) => void]>([
    [
      'NET_BIND_SERVICE added, which "restricted" allows',
      'HARD001',
      (spec) => (spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']),
    ],
    ['a pod with spec.os.name: windows', 'HARD002', (spec) => (spec.os = { name: 'windows' })],
    [
      'a writable root filesystem',
      'HARD003',
      (spec) => delete spec.containers[0].securityContext.readOnlyRootFilesystem,
    ],
    ['an automounted service-account token', 'HARD004', (spec) => delete spec.automountServiceAccountToken],
  ])('%s: %s alone, no PSS finding', (_what, rule, edit) => {
    expect(idsFor(deployment((spec) => edit(spec)))).toEqual([rule]);
  });

  test('a capability "restricted" refuses is PSS003\'s; NET_BIND_SERVICE beside it is HARD001\'s', () => {
    const ids = idsFor(
      deployment(
        (spec) => (spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE', 'SYS_ADMIN']),
      ),
    );
    expect(ids).toEqual(['PSS003', 'HARD001']);
  });

  test('a Windows pod gets no PSS finding for the Linux-only controls it is exempt from, and HARD002 instead', () => {
    // given a Windows pod without seccomp, capabilities, allowPrivilegeEscalation (the API refuses them)
    const object = deployment((spec) => windows(spec));
    // then: "restricted" admits it; production does not run it (HARD003: it cannot be read-only either)
    expect(idsFor(object)).toEqual(['HARD002', 'HARD003']);
  });

  test.each<[string, string, (spec: LoosePod) => void]>([
    ['runAsNonRoot unset', 'PSS001', (spec) => delete spec.securityContext.runAsNonRoot],
    ['a privileged container', 'PSS002', (spec) => (spec.containers[0].securityContext.privileged = true)],
    ['a host namespace', 'PSS007', (spec) => (spec.hostNetwork = true)],
  ])('a Windows pod is still held to the other controls: %s is %s', (_what, rule, edit) => {
    // given
    const object = deployment((spec) => {
      windows(spec);
      delete spec.containers[0].securityContext.runAsNonRoot;
      edit(spec);
    });
    // then
    expect(idsFor(object)).toEqual([rule, 'HARD002', 'HARD003']);
  });

  test('a pod that says it runs Linux is judged as any other', () => {
    expect(idsFor(deployment((spec) => (spec.os = { name: 'linux' })))).toEqual([]);
  });

  test('no hardening rule has a PSS id or calls itself Pod Security', () => {
    for (const rule of HARDENING_RULES) {
      expect(rule.id).toMatch(/^HARD\d{3}$/);
      expect(`${rule.title} ${rule.fix}`).not.toMatch(/pod security|\bPSS/i);
    }
  });
});
