import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { argocdSecrets } from '../../charts/argocd-secrets';
import { previews } from '../../charts/environments';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS } from '../../charts/paths';
import { policyOptions } from '../../charts/policy-options';
import { KubeObject, evaluatePolicy, readManifests, unsealValue, writeTree } from '../../lib';
import { clusterAccessPlan, clusterPlanOf } from '../../stacks/cluster-access';
import { committedClusterSettings } from '../../stacks/settings';
import { findObject } from '../helpers/find-object';
import { TestController, sealedPlatformSecrets, sealedValuesInMemory } from '../helpers/sealed-catalog';

const controller = new TestController();
const sealed = sealedPlatformSecrets(controller);
const modelWith = (files: Record<string, unknown>, sealingClusters: string[]) =>
  buildModel({ sealedValues: sealedValuesInMemory(files as never), sealingClusters });

// ArgoCD's own Secrets travel as a service's do (ADR 0005): sealed in charts/sealed-secrets/argocd/, written
// by synth into infra/argocd/secrets/, synced by root, decrypted by the controller in namespace argocd.
describe("ArgoCD's own Secrets, sealed", () => {
  const model = modelWith(sealed, ['in-cluster']);
  const tree = renderInfra(model);

  test('each is a SealedSecret in namespace argocd, in infra/argocd/secrets/, labelled as ArgoCD finds it', () => {
    for (const secret of argocdSecrets) {
      const path = `${ARGOCD_DIR}/${ARGOCD_KIND_DIRS.SealedSecret}/${secret.name}.yaml`;
      const object = parse(tree[path]) as KubeObject;
      expect(object).toEqual(findObject(model.argocd, 'SealedSecret', secret.name));
      expect(object.metadata).toEqual({ name: secret.name, namespace: 'argocd', labels: secret.labels });
      expect(object.spec).toEqual({
        encryptedData: sealed[`argocd/${secret.name}`].encryptedData,
        template: {
          metadata: { name: secret.name, labels: secret.labels },
          type: 'Opaque',
          ...(secret.plainData ? { data: secret.plainData } : {}),
        },
      });
    }
    const repository = findObject(model.argocd, 'SealedSecret', 'repository-production-infra');
    expect(repository.metadata?.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
  });

  test('the names are those ArgoCD reads: the notifications Secret, and the token the previews generator names', () => {
    const names = argocdSecrets.map(({ name }) => name);
    expect(names).toContain('argocd-notifications-secret');
    const notifications = findObject(model.argocd, 'ConfigMap', 'argocd-notifications-cm').data as Record<
      string,
      string
    >;
    expect(notifications['service.slack']).toContain('$slack-token');
    expect(argocdSecrets.find(({ name }) => name === 'argocd-notifications-secret')?.keys).toEqual([
      'slack-token',
    ]);
    const generator = JSON.stringify(findObject(model.argocd, 'ApplicationSet', 'previews').spec);
    expect(generator).toContain(
      JSON.stringify({
        tokenRef: { key: previews.githubToken.key, secretName: previews.githubToken.secretName },
      }).slice(1, -1),
    );
    expect(argocdSecrets.find(({ name }) => name === previews.githubToken.secretName)?.keys).toEqual([
      previews.githubToken.key,
    ]);
  });

  test('the controller decrypts them as namespace argocd only: the private key unseals each as its own Secret', () => {
    const [name, key] = ['argocd-notifications-secret', 'slack-token'];
    const value = findObject(model.argocd, 'SealedSecret', name).spec as {
      encryptedData: Record<string, string>;
    };
    expect(
      unsealValue(controller.certificate.privateKey, value.encryptedData[key], {
        namespace: 'argocd',
        name,
      }).toString(),
    ).toBe(`test value of ${name} ${key}`);
    expect(() =>
      unsealValue(controller.certificate.privateKey, value.encryptedData[key], {
        namespace: 'production',
        name,
      }),
    ).toThrow();
  });

  test('root may sync them (the gitops project allows SealedSecret, never Secret), and they pass the policy', () => {
    const gitops = findObject(model.argocd, 'AppProject', 'gitops').spec as {
      namespaceResourceWhitelist: { group: string; kind: string }[];
    };
    expect(gitops.namespaceResourceWhitelist).toContainEqual({ group: 'bitnami.com', kind: 'SealedSecret' });
    expect(gitops.namespaceResourceWhitelist.map(({ kind }) => kind)).not.toContain('Secret');
    const dir = mkdtempSync(join(tmpdir(), 'argocd-secrets-'));
    try {
      writeTree(dir, tree);
      const { objects, errors } = readManifests([join(dir, ARGOCD_DIR)]);
      expect(errors).toEqual([]);
      expect(objects.filter(({ object }) => object.kind === 'SealedSecret')).toHaveLength(
        argocdSecrets.length,
      );
      expect(evaluatePolicy(objects, policyOptions)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the controller of ArgoCD's cluster serves namespace argocd, which pulumi up makes, restricted", () => {
    const plan = clusterPlanOf(clusterAccessPlan(committedClusterSettings()));
    expect(plan.sealedSecrets.servedNamespaces).toContain('argocd');
    expect(plan.argocdNamespace).toEqual({ name: 'argocd' });
  });
});

describe("ArgoCD's own Secrets, before and after the certificate of its cluster is committed", () => {
  test('no certificate committed (the repository today): nothing can be sealed, and none is written', () => {
    const model = modelWith({}, []);
    expect(model.argocd.filter((object) => object.kind === 'SealedSecret')).toEqual([]);
  });

  test('certificate committed: a Secret without its sealed values stops synth, naming the command (SEAL003)', () => {
    const others = Object.fromEntries(
      Object.entries(sealed).filter(([file]) => file !== 'argocd/argocd-notifications-secret'),
    );
    expect(() => modelWith(others, ['in-cluster'])).toThrow(
      "ArgoCD's own Secrets lack sealed values synth needs:\n" +
        '  [SEAL003] charts/sealed-secrets/argocd/argocd-notifications-secret.json: key "slack-token" of ArgoCD\'s Secret "argocd-notifications-secret" has no sealed value (the file does not exist). ' +
        'Fix: npm run seal -- argocd argocd-notifications-secret slack-token < <file holding the value>, commit charts/sealed-secrets/argocd/argocd-notifications-secret.json, then npm run synth',
    );
  });

  test('a file sealed for another namespace is refused even before (SEAL002): it would never decrypt', () => {
    const replayed = controller.seal('production', 'argocd-notifications-secret', { 'slack-token': 'x' });
    expect(() => modelWith({ 'argocd/argocd-notifications-secret': replayed }, [])).toThrow(
      /\[SEAL002\] charts\/sealed-secrets\/argocd\/argocd-notifications-secret\.json: was sealed for Secret production\/argocd-notifications-secret, but ArgoCD's Secret "argocd-notifications-secret" is argocd\/argocd-notifications-secret/,
    );
  });
});
