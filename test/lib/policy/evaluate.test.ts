import { KubeObject, PolicyOptions, evaluatePolicy } from '../../../lib';
import { ALLOWED_REGISTRY, GOOD_IMAGE, compliantDeployment } from '../../helpers/fixtures';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};

/** The compliant fixture with a third-party image by tag, in namespace `namespace`. */
function upstreamImage(namespace: string): KubeObject {
  const deployment = compliantDeployment() as KubeObject & {
    spec: { template: { spec: { containers: { image: string }[] } } };
  };
  deployment.spec.template.spec.containers[0].image = 'docker.io/example/controller:1.0.0';
  return { ...deployment, metadata: { ...deployment.metadata, namespace } };
}
const described = (object: KubeObject): string =>
  `Deployment ${object.metadata?.namespace}/${object.metadata?.name}`;
const ids = (objects: readonly KubeObject[], settings: PolicyOptions): string[] =>
  evaluatePolicy(
    objects.map((object) => ({ object })),
    settings,
  ).map((v) => `${v.ruleId} ${v.object}`);

describe('evaluatePolicy: waivers (PolicyOptions.waivers, the exceptions log)', () => {
  test('a waiver excuses exactly its object from exactly its rules', () => {
    // given
    const waived = upstreamImage('platform');
    const other = upstreamImage('production');
    const withWaiver: PolicyOptions = {
      ...options,
      waivers: [
        {
          object: described(waived),
          ruleIds: ['IMG001', 'IMG003'],
          containerRepositories: ['docker.io/example/controller'],
          reason: '#9: a test',
        },
      ],
    };
    // when
    const before = ids([waived, other], options);
    const after = ids([waived, other], withWaiver);
    // then: IMG002 of the waived object stays, and the other object keeps all three
    expect(before).toEqual(
      expect.arrayContaining([
        `IMG001 ${described(waived)}`,
        `IMG002 ${described(waived)}`,
        `IMG003 ${described(waived)}`,
      ]),
    );
    expect(after).toEqual(
      before.filter((id) => id !== `IMG001 ${described(waived)}` && id !== `IMG003 ${described(waived)}`),
    );
    expect(after).toContain(`IMG001 ${described(other)}`);
  });

  test('nothing in a manifest can waive a rule: an annotation naming the waiver changes nothing', () => {
    // given
    const object = upstreamImage('platform');
    const annotated = {
      ...object,
      metadata: { ...object.metadata, annotations: { 'waivers.policy/IMG001': 'please' } },
    };
    // when / then
    expect(ids([annotated], options)).toContain(`IMG001 ${described(object)}`);
  });

  test('a waiver holds only while the object runs exactly its images: another image or a sidecar brings the findings back', () => {
    // given a waiver for the upstream controller alone
    const waived = upstreamImage('platform');
    const settings: PolicyOptions = {
      ...options,
      waivers: [
        {
          object: described(waived),
          ruleIds: ['IMG001', 'IMG002', 'IMG003'],
          containerRepositories: ['docker.io/example/controller'],
          reason: '#9: a test',
        },
      ],
    };
    const spec = (object: KubeObject) =>
      (
        object as unknown as {
          spec: { template: { spec: { containers: { name: string; image: string }[] } } };
        }
      ).spec.template.spec;
    const swapped = structuredClone(waived);
    spec(swapped).containers[0].image = 'docker.io/evil/controller:latest';
    const sidecar = structuredClone(waived);
    spec(sidecar).containers.push({
      ...spec(sidecar).containers[0],
      name: 'exfil',
      image: 'docker.io/example/controller:1.0.0',
    });
    // when / then
    expect(ids([waived], settings).filter((id) => id.startsWith('IMG'))).toEqual([]);
    expect(ids([swapped], settings)).toContain(`IMG001 ${described(swapped)}`);
    expect(ids([sidecar], settings)).toContain(`IMG001 ${described(sidecar)}`);
  });
});
