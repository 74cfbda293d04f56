import { KubeObject, PolicyOptions, evaluatePolicy, podSpecsOf } from '../../../lib';
import { ALLOWED_REGISTRY, GOOD_IMAGE, compliantDeployment } from '../../helpers/fixtures';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};

/** The fixture's compliant pod spec, with a privileged container. */
const badPod = (): Record<string, unknown> => {
  const spec = (
    compliantDeployment().spec as {
      template: { spec: { containers: Record<string, Record<string, unknown>>[] } };
    }
  ).template.spec;
  spec.containers[0].securityContext.privileged = true;
  return spec;
};
const object = (
  apiVersion: string,
  kind: string,
  spec: unknown,
  top: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'production' },
  ...(spec === undefined ? {} : { spec }),
  ...top,
});

describe('every pod spec is found and judged (podSpecsOf)', () => {
  test.each<[string, KubeObject, string]>([
    ['Pod', object('v1', 'Pod', badPod()), 'spec'],
    ['Deployment', object('apps/v1', 'Deployment', { template: { spec: badPod() } }), 'spec.template.spec'],
    ['ReplicaSet', object('apps/v1', 'ReplicaSet', { template: { spec: badPod() } }), 'spec.template.spec'],
    ['StatefulSet', object('apps/v1', 'StatefulSet', { template: { spec: badPod() } }), 'spec.template.spec'],
    ['DaemonSet', object('apps/v1', 'DaemonSet', { template: { spec: badPod() } }), 'spec.template.spec'],
    ['Job', object('batch/v1', 'Job', { template: { spec: badPod() } }), 'spec.template.spec'],
    [
      'CronJob',
      object('batch/v1', 'CronJob', { jobTemplate: { spec: { template: { spec: badPod() } } } }),
      'spec.jobTemplate.spec.template.spec',
    ],
    [
      'ReplicationController',
      object('v1', 'ReplicationController', { template: { spec: badPod() } }),
      'spec.template.spec',
    ],
    [
      'PodTemplate',
      object('v1', 'PodTemplate', undefined, { template: { spec: badPod() } }),
      'template.spec',
    ],
    [
      'an Argo Rollout (unknown kind)',
      object('argoproj.io/v1alpha1', 'Rollout', { template: { spec: badPod() } }),
      'spec.template.spec',
    ],
  ])('%s: found at its path, and PSS002 fails on it', (_kind, workload, path) => {
    // when
    const found = podSpecsOf(workload).map((at) => at.path.join('.'));
    const pss002 = evaluatePolicy([{ object: workload }], options).filter((v) => v.ruleId === 'PSS002');
    // then
    expect(found).toEqual([path]);
    expect(pss002.map((v) => [v.message, v.path?.join('.')])).toEqual([
      ['container "app" is privileged', `${path}.containers.0.securityContext.privileged`],
    ]);
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'a kind named like a property of every JavaScript object (%s) is an unknown kind, judged by its template',
    (kind) => {
      // given: the same names once crashed the CLI with a stack trace ("t is not iterable")
      const named = object('example.com/v1', kind, { template: { spec: badPod() } });
      // when
      const pss002 = evaluatePolicy([{ object: named }], options).filter((v) => v.ruleId === 'PSS002');
      // then
      expect(podSpecsOf(named).map((at) => at.path.join('.'))).toEqual(['spec.template.spec']);
      expect(pss002.map((v) => v.message)).toEqual(['container "app" is privileged']);
      expect(podSpecsOf(object('example.com/v1', kind, undefined))).toEqual([]);
    },
  );

  test('an unknown kind with a CronJob-like jobTemplate, or with init containers only, is judged', () => {
    // given
    const scheduled = object('example.com/v1', 'ScheduledThing', {
      jobTemplate: { spec: { template: { spec: badPod() } } },
    });
    const { containers, ...rest } = badPod();
    const initOnly = object('example.com/v1', 'Runner', {
      template: { spec: { ...rest, initContainers: containers } },
    });
    // when
    const messages = (workload: KubeObject) =>
      evaluatePolicy([{ object: workload }], options)
        .filter((v) => v.ruleId === 'PSS002')
        .map((v) => v.path?.join('.'));
    // then
    expect(messages(scheduled)).toEqual([
      'spec.jobTemplate.spec.template.spec.containers.0.securityContext.privileged',
    ]);
    expect(messages(initOnly)).toEqual(['spec.template.spec.initContainers.0.securityContext.privileged']);
  });

  test('an unknown kind whose spec.template holds no containers is no pod', () => {
    expect(podSpecsOf(object('example.com/v1', 'Widget', { template: { spec: { size: 3 } } }))).toEqual([]);
  });

  test('init and ephemeral containers are judged; ephemeral ones need no resources or probes', () => {
    // given
    const spec = badPod();
    const [app] = spec.containers as Record<string, unknown>[];
    spec.containers = [
      { ...app, securityContext: { ...(app.securityContext as object), privileged: false } },
    ];
    spec.initContainers = [{ ...app, name: 'init', image: 'docker.io/library/busybox:1' }];
    spec.ephemeralContainers = [{ name: 'debug', image: GOOD_IMAGE, securityContext: app.securityContext }];
    // when
    const found = evaluatePolicy([{ object: object('v1', 'Pod', spec) }], options).map((v) => [
      v.ruleId,
      v.message,
    ]);
    // then
    expect(found).toEqual([
      [
        'IMG001',
        'init container "init" uses image "docker.io/library/busybox:1", which is not under ghcr.io/acme/',
      ],
      [
        'IMG002',
        'init container "init" uses image "docker.io/library/busybox:1": tag "1" is not a sha tag; expected "sha-" followed by exactly 7 lowercase hex digits, e.g. "sha-0a1b2c3"',
      ],
      [
        'IMG003',
        'init container "init" uses image "docker.io/library/busybox:1", whose repository docker.io/library/busybox is not in the image catalog',
      ],
      ['PSS002', 'init container "init" is privileged'],
      ['PSS002', 'ephemeral container "debug" is privileged'],
    ]);
  });
});
