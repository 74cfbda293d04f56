import { KubeObject, PolicyOptions, RULES, evaluatePolicy } from '../../../lib';
import { ALLOWED_REGISTRY, GOOD_IMAGE, compliantDeployment } from '../../helpers/fixtures';

/** The fixture's image is the one catalog entry, pinned to its tag. */
const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};
const ruleIdsFor = (object: KubeObject): string[] =>
  evaluatePolicy([{ object }], options).map((violation) => violation.ruleId);

describe('policy rules', () => {
  test('a compliant Deployment has no violation', () => {
    // given
    const object = compliantDeployment();
    // when
    const violations = evaluatePolicy([{ object }], options);
    // then
    expect(violations).toEqual([]);
  });

  test('rule ids are unique and every rule has a fix', () => {
    // given
    const ids = RULES.map((rule) => rule.id);
    // then
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) expect(rule.fix.length).toBeGreaterThan(10);
  });

  test.each<[string, (object: KubeObject) => void, string[]]>([
    ['fails on a :latest tag', (o) => setImage(o, 'ghcr.io/acme/app:latest'), ['IMG002', 'IMG003']],
    ['fails on a :dev tag', (o) => setImage(o, 'ghcr.io/acme/app:dev'), ['IMG002', 'IMG003']],
    ['fails on an untagged image', (o) => setImage(o, 'ghcr.io/acme/app'), ['IMG002', 'IMG003']],
    [
      'fails on an uppercase sha tag',
      (o) => setImage(o, 'ghcr.io/acme/app:sha-0A1B2C3'),
      ['IMG002', 'IMG003'],
    ],
    ['fails on a 6-hex sha tag', (o) => setImage(o, 'ghcr.io/acme/app:sha-0a1b2c'), ['IMG002', 'IMG003']],
    ['fails on an 8-hex sha tag', (o) => setImage(o, 'ghcr.io/acme/app:sha-0a1b2c3d'), ['IMG002', 'IMG003']],
    [
      'fails on a 40-hex sha tag',
      (o) => setImage(o, `ghcr.io/acme/app:sha-${'a'.repeat(40)}`),
      ['IMG002', 'IMG003'],
    ],
    ['fails on a malformed digest', (o) => setImage(o, 'ghcr.io/acme/app@sha256:xyz'), ['IMG002', 'IMG003']],
    [
      'fails on a Docker Hub image',
      (o) => setImage(o, 'docker.io/someone/app:sha-0a1b2c3'),
      ['IMG001', 'IMG003'],
    ],
    [
      'fails on an implicit Docker Hub image',
      (o) => setImage(o, 'someone/app:sha-0a1b2c3'),
      ['IMG001', 'IMG003'],
    ],
    [
      'fails on another ghcr.io account',
      (o) => setImage(o, 'ghcr.io/someone/app:sha-0a1b2c3'),
      ['IMG001', 'IMG003'],
    ],
    [
      'fails on a bad init container image',
      (o) => addInit(o, 'ghcr.io/acme/app:latest'),
      ['IMG002', 'IMG003'],
    ],
    ['fails on missing limits', (o) => delete containerOf(o).resources.limits, ['RES001']],
    ['fails on missing requests', (o) => delete containerOf(o).resources.requests, ['RES001']],
    ['fails on a missing readiness probe', (o) => delete containerOf(o).readinessProbe, ['PRB001']],
    ['fails on a missing liveness probe', (o) => delete containerOf(o).livenessProbe, ['PRB001']],
    ['fails on a root user', (o) => (podOf(o).securityContext.runAsUser = 0), ['PSS001']],
    ['fails on runAsNonRoot false', (o) => (containerOf(o).securityContext.runAsNonRoot = false), ['PSS001']],
    [
      'fails on a privileged container',
      (o) => (containerOf(o).securityContext.privileged = true),
      ['PSS002'],
    ],
    [
      'fails on privilege escalation',
      (o) => delete containerOf(o).securityContext.allowPrivilegeEscalation,
      ['PSS002'],
    ],
    ['fails on kept capabilities', (o) => (containerOf(o).securityContext.capabilities = {}), ['PSS003']],
    [
      'fails on an added capability',
      (o) => (containerOf(o).securityContext.capabilities.add = ['NET_ADMIN']),
      ['PSS003'],
    ],
    [
      'fails on seccomp Unconfined',
      (o) => (podOf(o).securityContext.seccompProfile.type = 'Unconfined'),
      ['PSS004'],
    ],
    [
      'fails on a writable root filesystem',
      (o) => delete containerOf(o).securityContext.readOnlyRootFilesystem,
      ['HARD003'],
    ],
    ['fails on an automounted token', (o) => delete podOf(o).automountServiceAccountToken, ['HARD004']],
    ['fails on hostNetwork', (o) => (podOf(o).hostNetwork = true), ['PSS007']],
    [
      'fails on a hostPath volume',
      (o) => (podOf(o).volumes = [{ name: 'h', hostPath: { path: '/' } }]),
      ['PSS007'],
    ],
    [
      'fails on a missing namespace',
      (o) => delete (o.metadata as Record<string, unknown>).namespace,
      ['META001'],
    ],
  ])('%s', (_name, breakIt, expected) => {
    // given
    const object = compliantDeployment();
    breakIt(object);
    // when
    const ids = ruleIdsFor(object);
    // then
    expect(ids).toEqual(expected);
  });

  test('accepts the catalog image at its pinned tag', () => {
    // given
    const object = compliantDeployment();
    setImage(object, 'ghcr.io/acme/app:sha-0a1b2c3');
    // then
    expect(ruleIdsFor(object)).toEqual([]);
  });

  test('IMG002 accepts a well-formed digest; IMG003 alone refuses it, as it cannot be checked against the pin', () => {
    // given
    const object = compliantDeployment();
    setImage(object, `ghcr.io/acme/app@sha256:${'f'.repeat(64)}`);
    // then
    expect(ruleIdsFor(object)).toEqual(['IMG003']);
  });

  test.each(['data', 'stringData'])('fails on a Secret carrying %s', (field) => {
    // given
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'production' },
      [field]: { password: 'aHVudGVyMg==' },
    };
    // then
    expect(ruleIdsFor(secret)).toEqual(['SEC001']);
  });

  test('jobs need no probes, but everything else', () => {
    // given
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'production' },
      spec: { template: (compliantDeployment().spec as { template: unknown }).template },
    };
    delete (job.spec.template as { spec: { containers: { readinessProbe?: unknown }[] } }).spec.containers[0]
      .readinessProbe;
    // then
    expect(ruleIdsFor(job)).toEqual([]);
  });

  test('a violation names the rule, the object, its source and the fix', () => {
    // given
    const object = compliantDeployment();
    setImage(object, 'ghcr.io/acme/app:latest');
    // when
    const [violation] = evaluatePolicy([{ object, source: 'Prod/App/Resource' }], options);
    // then
    expect(violation).toMatchObject({
      ruleId: 'IMG002',
      object: 'Deployment production/app',
      source: 'Prod/App/Resource',
      message:
        'container "app" uses image "ghcr.io/acme/app:latest": tag "latest" is not a sha tag; ' +
        'expected "sha-" followed by exactly 7 lowercase hex digits, e.g. "sha-0a1b2c3"',
    });
    expect(violation.fix).toMatch(/sha-/);
  });

  test('kustomizations and audit policies are not checked as API objects', () => {
    // given
    const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
    // then
    expect(ruleIdsFor(kustomization)).toEqual([]);
  });
});

interface LooseContainer {
  [field: string]: unknown;
  resources: Record<string, unknown>;
  securityContext: Record<string, unknown> & { capabilities: Record<string, unknown> };
}
interface LoosePod {
  [field: string]: unknown;
  securityContext: Record<string, unknown> & { seccompProfile: Record<string, unknown> };
  containers: LooseContainer[];
}
function podOf(object: KubeObject): LoosePod {
  return (object.spec as { template: { spec: LoosePod } }).template.spec;
}
function containerOf(object: KubeObject): LooseContainer {
  return podOf(object).containers[0];
}
function setImage(object: KubeObject, image: string): void {
  containerOf(object).image = image;
}
function addInit(object: KubeObject, image: string): void {
  podOf(object).initContainers = [{ ...containerOf(object), name: 'init', image }];
}
