import { parse } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { environments } from '../../charts/environments';
import { imageRepositories } from '../../charts/images';
import { policyOptionsFor } from '../../charts/policy-options';
import { ARGOCD_DIR, INFRA_DIR, overlayDir } from '../../charts/paths';
import { IN_CLUSTER_SERVER, KubeObject, evaluatePolicy } from '../../lib';
import { prodEu, staging } from '../helpers/extra-environments';

const withBoth = [...environments, prodEu, staging];
const model = buildModel({ environments: withBoth });
const tree = renderInfra(model);
const argocdObject = (kind: string, name: string): KubeObject => {
  const found = model.argocd.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const specOf = (object: KubeObject): any => object.spec;

describe('a second production cluster and a staging environment, each one declaration in charts/environments.ts', () => {
  test.each(['baseline', 'backend'])(
    '%s gets an overlay of each, pinned and in its namespace',
    (component) => {
      for (const environment of [prodEu, staging]) {
        const kustomization = parse(tree[`${overlayDir(component, environment.name)}/kustomization.yaml`]);
        expect(kustomization.namespace).toBe(environment.namespace);
        expect(kustomization.resources[0]).toBe('../../base');
        if (component === 'backend') {
          expect(kustomization.images).toEqual([
            { name: imageRepositories.backend, newTag: model.images.backend.tag },
          ]);
        }
      }
    },
  );

  test('each environment gets its own Applications, destination cluster and path, in the app of apps folder', () => {
    const eu = specOf(argocdObject('Application', 'robson-backend-prod-eu'));
    expect(eu.destination).toEqual({ server: prodEu.cluster?.server, namespace: 'production' });
    expect(eu.source.path).toBe(`${INFRA_DIR}/${overlayDir('backend', 'prod-eu')}`);
    expect(eu.project).toBe('production');
    expect(specOf(argocdObject('Application', 'robson-baseline-staging')).destination).toEqual({
      server: IN_CLUSTER_SERVER,
      namespace: 'staging',
    });
    expect(tree[`${ARGOCD_DIR}/applications/robson-backend-prod-eu.yaml`]).toBeDefined();
    // today's production Application keeps its name and destination
    expect(specOf(argocdObject('Application', 'robson-backend-prod')).destination.server).toBe(
      IN_CLUSTER_SERVER,
    );
  });

  test("the projects allow exactly the environments' destinations", () => {
    expect(specOf(argocdObject('AppProject', 'production')).destinations).toEqual([
      { server: IN_CLUSTER_SERVER, namespace: 'production' },
      { server: prodEu.cluster?.server, namespace: 'production' },
    ]);
    expect(specOf(argocdObject('AppProject', 'staging')).destinations).toEqual([
      { server: IN_CLUSTER_SERVER, namespace: 'staging' },
    ]);
  });

  test('fails: without the environment declared, the policy refuses an Application on its cluster (ARGO005)', () => {
    const objects = model.argocd.map((object) => ({ object }));
    const ruleIds = evaluatePolicy(objects, policyOptionsFor(model.images, environments)).map(
      (v) => v.ruleId,
    );
    expect(ruleIds).toContain('ARGO005');
    expect(ruleIds).toContain('ARGO014');
  });

  test('fails: an environment naming settings no service declares is refused with the fix', () => {
    expect(() =>
      buildModel({ environments: [...environments, { ...staging, settings: 'staging' }] }),
    ).toThrow(/service "backend" \(charts\/services\.ts\) has no settings "staging": add settings\.staging/);
  });
});
