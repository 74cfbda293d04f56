import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  KubeObject,
  evaluatePolicy,
  imageAdmissionPolicyObjects,
  planPinBump,
  restrictedContainer,
  restrictedPodSpec,
} from '../../lib';
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { registry, shaTagLength } from '../../charts/config';
import { production } from '../../charts/environments';
import { imageRepositories } from '../../charts/images';
import { catalogOf } from '../../charts/images';
import { CLUSTER_MANIFESTS_DIR, INFRA_DIR } from '../../charts/paths';
import { policyOptionsFor } from '../../charts/policy-options';
import { releaseRules } from '../../charts/release';
import { REPO_ROOT } from '../helpers/tools';

const repository = imageRepositories.backend;
const resources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(200),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(128),
};

/** What each of the four places says about `tag`: undefined when it accepts it, else its message. */
const verdicts = {
  catalog(tag: string): string | undefined {
    try {
      catalogOf({ backend: tag });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  },
  img002(tag: string): string | undefined {
    const image = `${repository}:${tag}`;
    const pod = restrictedPodSpec([restrictedContainer({ name: 'app', image, resources })], {
      serviceAccountName: 'app',
      runAsUser: 10001,
      restartPolicy: 'Never',
    });
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'probe', namespace: production.namespace },
      spec: { template: { spec: pod } },
    };
    const options = policyOptionsFor(catalogOf({ backend: 'sha-fffffff' }));
    return evaluatePolicy([{ object: job }], options).find((violation) => violation.ruleId === 'IMG002')
      ?.message;
  },
  release(tag: string): string | undefined {
    try {
      planPinBump({ backend: 'sha-fffffff' }, 'backend', tag, releaseRules);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  },
  admission(tag: string): string | undefined {
    const [policy] = imageAdmissionPolicyObjects({
      namespace: production.namespace,
      allowedRepositoryPrefix: `${registry}/`,
      shaTagLength,
    });
    return admissionVerdict(policy, `${repository}:${tag}`);
  },
  'rendered admission policy (infra/cluster)'(tag: string): string | undefined {
    const file = join(
      REPO_ROOT,
      INFRA_DIR,
      CLUSTER_MANIFESTS_DIR,
      'validatingadmissionpolicy-production-image-registry.yaml',
    );
    return admissionVerdict(parse(readFileSync(file, 'utf8')) as KubeObject, `${repository}:${tag}`);
  },
};

/**
 * The policy's verdict on `image`: its validation is `variables.images.all(image, image.matches('<RE2>'))`,
 * evaluated here with the same pattern (RE2 and JavaScript agree on it: no backslash, no look-around).
 */
function admissionVerdict(policy: KubeObject, image: string): string | undefined {
  const [validation] = (policy.spec as { validations: { expression: string; message: string }[] })
    .validations;
  const pattern = /image\.matches\('([^']+)'\)/.exec(validation.expression)?.[1];
  if (pattern === undefined) throw new Error(`no matches() in ${validation.expression}`);
  return new RegExp(pattern).test(image) ? undefined : validation.message;
}

const hex40 = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

describe(`one definition of a sha- tag (${shaTagLength} hex digits, charts/config.ts)`, () => {
  test('CI writes tags of that length', () => {
    // then: the previews of charts/argocd-chart.ts depend on it too
    expect(shaTagLength).toBe(7);
  });

  test.each(Object.keys(verdicts))('%s accepts sha- and exactly 7 lowercase hex digits', (place) => {
    // when / then
    expect(verdicts[place as keyof typeof verdicts]('sha-0a1b2c3')).toBeUndefined();
  });

  const refused: [string, string][] = [
    ['6 hex digits', 'sha-0a1b2c'],
    ['8 hex digits', 'sha-0a1b2c3d'],
    ['40 hex digits', `sha-${hex40}`],
    ['uppercase hex', 'sha-0A1B2C3'],
    ['dev', 'dev'],
    ['an empty tag', ''],
  ];
  const cases = refused.flatMap(([what, tag]) => Object.keys(verdicts).map((place) => [place, what, tag]));

  test.each(cases)('fails: %s refuses %s (%j), saying the expected length', (place, _what, tag) => {
    // when
    const message = verdicts[place as keyof typeof verdicts](tag);
    // then
    expect(message).toBeDefined();
    expect(message).toMatch(/exactly 7 lowercase hex digits/);
  });
});
