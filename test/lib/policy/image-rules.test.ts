import { App, Chart } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import {
  KubeObject,
  PolicyOptions,
  enforcePolicy,
  evaluatePolicy,
  restrictedContainer,
  restrictedPodSpec,
  validateApp,
} from '../../../lib';
import { registry } from '../../../charts/config';
import { imageRepositories } from '../../../charts/images';
import { loadPinnedImages } from '../../../charts/images';
import { policyOptions, policyOptionsFor } from '../../../charts/policy-options';
import { anotherTag } from '../../helpers/another-tag';

/** The production settings with the release file's pins: what synth and `npm run policy` use. */
const production: PolicyOptions = policyOptionsFor(loadPinnedImages());
const pinned = loadPinnedImages().backend;

const resources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(200),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(128),
};
const probe = { httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(8080) } };

/** A pod spec that passes every other rule, running `image` (and `initImage` first, when given). */
function podSpec(image: string, initImage?: string): k8s.PodSpec {
  const container = (name: string, ref: string) =>
    restrictedContainer({ name, image: ref, resources, readinessProbe: probe, livenessProbe: probe });
  const spec = restrictedPodSpec([container('app', image)], { serviceAccountName: 'app', runAsUser: 10001 });
  return initImage ? { ...spec, initContainers: [container('init', initImage)] } : spec;
}

const deployment = (image: string, initImage?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'production' },
  spec: { template: { spec: podSpec(image, initImage) } },
});

const cronJob = (image: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'production' },
  spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podSpec(image) } } } },
});

const findings = (object: KubeObject, options: PolicyOptions = production) =>
  evaluatePolicy([{ object }], options).map((violation) => [violation.ruleId, violation.message]);

describe('IMG003: every image is a catalog image at its pinned tag', () => {
  test('the catalog image at its pinned tag passes every rule, in a Deployment and a CronJob', () => {
    // when / then
    expect(findings(deployment(pinned.reference))).toEqual([]);
    expect(findings(cronJob(pinned.reference), policyOptions)).toEqual([]);
  });

  test.each<[string, KubeObject, string]>([
    [
      'an unknown repository under our registry',
      deployment(`${registry}/payments:sha-0a1b2c3`),
      `container "app" uses image "${registry}/payments:sha-0a1b2c3", whose repository ${registry}/payments is not in the image catalog`,
    ],
    [
      'a catalog repository with another sha tag',
      deployment(`${imageRepositories.backend}:${anotherTag(pinned.tag)}`),
      `container "app" uses image "${imageRepositories.backend}:${anotherTag(pinned.tag)}", but the catalog pins ${imageRepositories.backend} to ${pinned.tag}`,
    ],
    [
      'a non-catalog image in a CronJob',
      cronJob(`${registry}/reports:sha-0a1b2c3`),
      `container "app" uses image "${registry}/reports:sha-0a1b2c3", whose repository ${registry}/reports is not in the image catalog`,
    ],
    [
      'a non-catalog image in an init container',
      deployment(pinned.reference, `${registry}/migrate:sha-0a1b2c3`),
      `init container "init" uses image "${registry}/migrate:sha-0a1b2c3", whose repository ${registry}/migrate is not in the image catalog`,
    ],
    [
      'the catalog repository by digest, which cannot be checked against the pin',
      deployment(`${imageRepositories.backend}@sha256:${'a'.repeat(64)}`),
      `container "app" uses image "${imageRepositories.backend}@sha256:${'a'.repeat(64)}" by digest, which cannot be checked against the pinned tag`,
    ],
  ])('fails on %s, and IMG003 alone', (_what, object, message) => {
    // when / then: every other rule passes (the image is under our registry with a valid tag or digest)
    expect(findings(object)).toEqual([['IMG003', message]]);
  });

  test('fails, reporting the missing option, when the catalog is not set', () => {
    // given
    const withoutCatalog = { ...production, catalog: undefined } as unknown as PolicyOptions;
    // when
    const result = findings(deployment(pinned.reference), withoutCatalog);
    // then
    expect(result).toEqual([
      [
        'IMG003',
        `container "app": PolicyOptions.catalog is not set, so image "${pinned.reference}" cannot be checked`,
      ],
    ]);
  });

  test('the production options carry exactly the catalog, each repository with the pin of the release file', () => {
    // when / then
    expect(production.catalog).toEqual({ [imageRepositories.backend]: pinned.tag });
    expect(policyOptions.catalog).toEqual(production.catalog);
  });
});

describe('IMG003 at synth', () => {
  test('fails: a chart with a raw KubeDeployment running an uncatalogued image does not synthesize', () => {
    // given: a chart that bypasses the catalog with cdk8s-plus-28's raw k8s API
    const app = new App({ outdir: '.cdk8s.out' });
    const chart = new Chart(app, 'Rogue', { disableResourceNameHashes: true });
    new k8s.KubeDeployment(chart, 'Payments', {
      metadata: { name: 'payments', namespace: 'production' },
      spec: {
        selector: { matchLabels: { app: 'payments' } },
        template: {
          metadata: { labels: { app: 'payments' } },
          spec: podSpec(`${registry}/payments:sha-0a1b2c3`),
        },
      },
    });
    enforcePolicy(app, production);
    // when / then
    expect(() => validateApp(app)).toThrow(
      `[IMG003] Deployment production/payments (Rogue/Payments): container "app" uses image ` +
        `"${registry}/payments:sha-0a1b2c3", whose repository ${registry}/payments is not in the image catalog`,
    );
  });
});
