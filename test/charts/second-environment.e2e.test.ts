// The second production cluster and the staging environment rendered by kustomize (what they generate
// is tested in-process in second-environment.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { environments } from '../../charts/environments';
import { policyOptionsFor } from '../../charts/policy-options';
import { overlayDir } from '../../charts/paths';
import { KubeObject, evaluatePolicy, writeTree } from '../../lib';
import { prodEu, staging } from '../helpers/extra-environments';
import { kustomizeBuild } from '../helpers/tools';

const withBoth = [...environments, prodEu, staging];
const model = buildModel({ environments: withBoth });
const tree = renderInfra(model);

describe('a second production cluster and a staging environment, each one declaration in charts/environments.ts', () => {
  test('kustomize renders each overlay with its own hosts, and the policy passes with the cluster registered', () => {
    const root = mkdtempSync(join(tmpdir(), 'environments-'));
    try {
      writeTree(root, tree);
      const rendered = parseAllDocuments(kustomizeBuild(join(root, overlayDir('backend', 'prod-eu')))).map(
        (document) => document.toJS() as KubeObject,
      );
      const ingress = rendered.find((object) => object.kind === 'Ingress');
      expect(JSON.stringify(ingress?.spec)).toContain('"host":"api.eu.robson.example"');
      expect(JSON.stringify(ingress?.spec)).toContain('"secretName":"api-eu-robson-tls"');
      expect(rendered.every((object) => object.metadata?.namespace === 'production')).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const objects = model.argocd.map((object) => ({ object }));
    expect(evaluatePolicy(objects, policyOptionsFor(model.images, withBoth))).toEqual([]);
  });
});
