import { ImageSource, isBranchCreation, planDispatchRelease, planPushRelease } from '../../../lib';

const sources = {
  worker: ImageSource.folder('services/worker'),
  api: ImageSource.folder('services/api'),
  backend: ImageSource.externalRepository('acme/backend'),
};
const after = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

describe('planPushRelease', () => {
  test('releases every image built here whose folder the push changed, from the pushed commit', () => {
    // when
    const plan = planPushRelease(sources, ['services/api/main.go', 'docs/x.md'], after);
    // then
    expect(plan).toEqual([{ image: 'api', commit: after, context: 'services/api' }]);
  });

  test('releases several images in catalog order', () => {
    // when
    const plan = planPushRelease(sources, ['services/api/Dockerfile', 'services/worker/run.sh'], after);
    // then
    expect(plan.map((release) => release.image)).toEqual(['worker', 'api']);
  });

  test.each([
    ['only the pin file and infra/ (a release commit)', ['charts/image-pins.json', 'infra/k8s/base/x.yaml']],
    ['a folder whose name starts like a source folder', ['services/worker-old/main.go']],
    ['nothing', []],
  ])('releases nothing for a push changing %s', (_what, files) => {
    // when / then
    expect(planPushRelease(sources, files, after)).toEqual([]);
  });

  test('never releases an image of another repository', () => {
    // when / then
    expect(planPushRelease({ backend: sources.backend }, ['backend/main.go'], after)).toEqual([]);
  });

  test('fails for a pushed commit that is not a full id', () => {
    // when / then
    expect(() => planPushRelease(sources, [], 'HEAD')).toThrow(
      /the pushed commit "HEAD" is not a full commit id/,
    );
  });

  test('a before of zeros is a new branch', () => {
    // when / then
    expect(isBranchCreation('0'.repeat(40))).toBe(true);
    expect(isBranchCreation(after)).toBe(false);
  });
});

describe('planDispatchRelease', () => {
  test('releases the dispatched image of another repository, which it does not build', () => {
    // when / then
    expect(planDispatchRelease(sources, 'backend', after)).toEqual([
      { image: 'backend', commit: after, context: '' },
    ]);
  });

  test.each([
    [
      'an unknown image',
      'frontend',
      after,
      /unknown image "frontend": the catalog has "worker", "api", "backend"/,
    ],
    ['an inherited property name', 'constructor', after, /unknown image "constructor"/],
    [
      'an image built here (a push releases it)',
      'worker',
      after,
      /image "worker" is built from folder services\/worker of this repository: a push .* releases it, a dispatch cannot/,
    ],
    [
      'a short commit',
      'backend',
      '0a1b2c3',
      /the commit of repository acme\/backend "0a1b2c3" is not a full commit id/,
    ],
    ['an empty commit (a missing payload field)', 'backend', '', /"" is not a full commit id/],
  ])('fails for %s', (_what, image, commit, message) => {
    // when / then
    expect(() => planDispatchRelease(sources, image, commit)).toThrow(message);
  });
});
