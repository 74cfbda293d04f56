import { join } from 'node:path';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS, INFRA_DIR } from '../../../charts/paths';
import { driftScopeOf } from '../../../lib/drift/drift-scope';
import { loadManifests } from '../../../lib/policy/load-manifests';
import { REPO_ROOT } from '../../helpers/tools';

const app = (name: string, destination: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: { destination: { namespace: destination, server: 'https://kubernetes.default.svc' } },
});

describe('which namespaces drift reads', () => {
  test("every Application's destination, ArgoCD's own namespace left out and said so", () => {
    // when
    const scope = driftScopeOf([
      app('root', 'argocd'),
      app('b', 'production'),
      app('a', 'staging'),
      app('c', 'production'),
    ]);
    // then
    expect(scope.applications).toEqual(['a', 'b', 'c', 'root']);
    expect(scope.namespaces).toEqual(['production', 'staging']);
    expect(scope.skipped.map((s) => s.namespace)).toEqual(['argocd']);
  });

  test('the generated Applications deploy to production, which is checked', () => {
    // given the files ArgoCD syncs
    const objects = loadManifests([join(REPO_ROOT, INFRA_DIR, ARGOCD_DIR, ARGOCD_KIND_DIRS.Application)]);
    // when
    const scope = driftScopeOf(objects.map(({ object }) => object));
    // then
    expect(scope.namespaces).toContain('production');
    expect(scope.applications).toContain('robson-backend-prod');
  });
});
