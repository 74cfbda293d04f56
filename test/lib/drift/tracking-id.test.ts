import { TRACKING_ID_ANNOTATION, parseTrackingId, trackingOf } from '../../../lib/drift/tracking-id';

const deployment = (annotation?: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'backend',
    namespace: 'production',
    ...(annotation === undefined ? {} : { annotations: { [TRACKING_ID_ANNOTATION]: annotation } }),
  },
});

describe('ArgoCD v3 tracking id', () => {
  test('parses <app>:<group>/<kind>:<namespace>/<name>, the core group empty', () => {
    expect(parseTrackingId('robson-backend-prod:apps/Deployment:production/backend')).toEqual({
      application: 'robson-backend-prod',
      group: 'apps',
      kind: 'Deployment',
      namespace: 'production',
      name: 'backend',
    });
    expect(parseTrackingId('app:/ConfigMap:production/config')?.group).toBe('');
  });

  test.each([
    ['app'],
    ['app:apps/Deployment'],
    ['app:Deployment:production/backend'],
    ['app:apps/Deployment:backend'],
  ])('fails to parse what is not in the format: %s', (value) => {
    expect(parseTrackingId(value)).toBeUndefined();
  });

  test('an object whose id names itself is tracked by that application', () => {
    expect(trackingOf(deployment('robson-backend-prod:apps/Deployment:production/backend'))).toEqual({
      application: 'robson-backend-prod',
    });
  });

  test('fails to count as tracked: no annotation, a malformed one, or one copied from another object', () => {
    expect(trackingOf(deployment())).toEqual({ untracked: `no ${TRACKING_ID_ANNOTATION} annotation` });
    expect(trackingOf(deployment('nonsense'))).toEqual({
      untracked: `${TRACKING_ID_ANNOTATION} "nonsense" is not in ArgoCD's format`,
    });
    for (const copied of [
      'robson-backend-prod:apps/Deployment:production/other',
      'robson-backend-prod:apps/StatefulSet:production/backend',
      'robson-backend-prod:/Deployment:production/backend',
      'robson-backend-prod:apps/Deployment:staging/backend',
    ]) {
      expect(trackingOf(deployment(copied))).toEqual({
        untracked: `${TRACKING_ID_ANNOTATION} "${copied}" names another object`,
      });
    }
  });
});
