import { assessRollout } from '../../../lib';
import { NEW, OLD, REPOSITORY, snapshot } from './rollout-fixture';

const expected = { repository: REPOSITORY, tag: 'sha-0a1b2c3' };

describe('assessRollout', () => {
  test('is done when Synced, Healthy, and every live workload and running pod is on the pin', () => {
    // when
    const assessment = assessRollout(snapshot(), expected);
    // then
    expect(assessment).toEqual({ done: true, problems: [], revision: 'abc123' });
  });

  test.each([
    [{ sync: 'OutOfSync' }, 'sync status is OutOfSync, want Synced'],
    [{ health: 'Progressing' }, 'health is Progressing, want Healthy'],
    [
      { deploymentImage: OLD },
      `Deployment production/backend: container "backend" runs ${OLD}, want tag sha-0a1b2c3`,
    ],
    [
      { cronJobImage: OLD },
      `CronJob production/backend-cleanup: container "cleanup" runs ${OLD}, want tag sha-0a1b2c3`,
    ],
    [{ podImages: [NEW, OLD] }, `Pod production/backend-7d9f-1 runs ${OLD}, want tag sha-0a1b2c3`],
    [
      { rollout: { updatedReplicas: 1 } },
      'Deployment production/backend: rollout not complete (1 of 2 replicas updated, 2 in total, 2 available)',
    ],
    [
      { rollout: { replicas: 3 } },
      'Deployment production/backend: rollout not complete (2 of 2 replicas updated, 3 in total, 2 available)',
    ],
    [{ rollout: { availableReplicas: 1 } }, '2 in total, 1 available)'],
    [{ rollout: { observedGeneration: 3 } }, 'latest spec not yet observed'],
    [{ podImages: [`${NEW}@sha256:${'0'.repeat(64)}`] }, 'want tag sha-0a1b2c3'],
  ])('fails for %j: "%s"', (options, problem) => {
    // when
    const assessment = assessRollout(snapshot(options), expected);
    // then
    expect(assessment.done).toBe(false);
    expect(assessment.problems.join('\n')).toContain(problem);
  });

  test('fails when Healthy and Synced but still on the previous version (healthy is not enough)', () => {
    // when
    const assessment = assessRollout(
      snapshot({ deploymentImage: OLD, cronJobImage: OLD, podImages: [OLD, OLD] }),
      expected,
    );
    // then
    expect(assessment.done).toBe(false);
    expect(assessment.problems).toHaveLength(4);
  });

  test('fails when no live workload uses the repository at all', () => {
    // when
    const assessment = assessRollout(snapshot(), { repository: 'ghcr.io/acme/other', tag: 'sha-0a1b2c3' });
    // then
    expect(assessment.problems).toContain('no live workload uses ghcr.io/acme/other');
  });

  test('is done without pods in the tree when the rollout is complete (ArgoCD hides kinds the project does not permit)', () => {
    // when
    const assessment = assessRollout(snapshot({ podImages: [] }), expected);
    // then
    expect(assessment).toEqual({ done: true, problems: [], revision: 'abc123' });
  });

  test('ignores finished pods of a CronJob that ran before the release', () => {
    // when
    const assessment = assessRollout(snapshot({ jobPodImage: OLD }), expected);
    // then
    expect(assessment.done).toBe(true);
  });
});
