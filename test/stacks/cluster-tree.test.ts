import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { production } from '../../charts/environments';
import { KubeObject } from '../../lib/manifest/kube-object';
import { productionKinds } from '../../stacks/production-kinds';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import {
  AUDIT_POLICY_FILE,
  CLUSTER_DIR,
  CLUSTER_MANIFESTS_DIR,
  INFRA_DIR,
  SYNTH_OWNED_DIRS,
} from '../../charts/paths';
import {
  clusterAccessPlan,
  clusterAuditPolicy,
  clusterObjects,
  clusterPlanOf,
  sealedSecretsObjectsOf,
} from '../../stacks/cluster-access';
import { SEALED_SECRETS_FOLDER, renderClusterTree } from '../../stacks/cluster-tree';
import { clusterSettings, stackFileValues } from '../../stacks/settings';
import { prodEu, staging } from '../helpers/extra-environments';

const plan = clusterPlanOf(clusterAccessPlan(clusterSettings(stackFileValues())));
const tree = renderClusterTree({ clusters: [plan] });
const SEALING_DIR = `${CLUSTER_MANIFESTS_DIR}/${SEALED_SECRETS_FOLDER}`;
const manifestPaths = Object.keys(tree).filter(
  (path) =>
    path.startsWith(`${CLUSTER_MANIFESTS_DIR}/`) &&
    !path.startsWith(`${SEALING_DIR}/`) &&
    !path.endsWith('kustomization.yaml'),
);
const sealingPaths = Object.keys(tree).filter(
  (path) => path.startsWith(`${SEALING_DIR}/`) && !path.endsWith('kustomization.yaml'),
);

const model = (object: Record<string, unknown>): { validate(): void } => {
  const classes: Record<string, new (data: never) => { validate(): void }> = {
    Namespace,
    ServiceAccount,
    Role,
    RoleBinding,
    ClusterRole,
    ClusterRoleBinding,
    ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
    Service,
    Deployment,
    CustomResourceDefinition,
  };
  const Model = classes[object.kind as string];
  if (!Model) throw new Error(`no schema for ${String(object.kind)}`);
  return new Model(object as never);
};

describe('renderClusterTree (npm run rbac:export)', () => {
  test('writes one file per object the program declares, each parsing back to that object', () => {
    // given
    const objects = clusterObjects(plan);
    // when
    const parsed = manifestPaths.map((path) => parse(tree[path]));
    // then
    expect(parsed).toEqual(objects);
    expect(manifestPaths).toContain(`${CLUSTER_MANIFESTS_DIR}/namespace-production.yaml`);
  });

  test('every manifest is valid against the Kubernetes schema of its kind', () => {
    // given / when / then
    for (const path of [...manifestPaths, ...sealingPaths])
      expect(() => model(parse(tree[path])).validate()).not.toThrow();
  });

  test("writes the Sealed Secrets controller's objects to manifests/sealed-secrets/, with a kustomization of their own", () => {
    // given
    const objects = sealedSecretsObjectsOf(plan);
    // when
    const parsed = sealingPaths.map((path) => parse(tree[path]));
    const kustomization = parse(tree[`${SEALING_DIR}/kustomization.yaml`]);
    // then: every object once, the served namespaces' RoleBindings named by their namespace
    expect(parsed).toEqual(objects);
    expect(kustomization.resources).toEqual(sealingPaths.map((path) => path.slice(SEALING_DIR.length + 1)));
    expect(sealingPaths).toEqual(
      expect.arrayContaining([
        `${SEALING_DIR}/customresourcedefinition-sealedsecrets.bitnami.com.yaml`,
        `${SEALING_DIR}/deployment-sealed-secrets-controller.yaml`,
        `${SEALING_DIR}/rolebinding-sealed-secrets-unsealer.yaml`,
        `${SEALING_DIR}/rolebinding-production-sealed-secrets-unsealer.yaml`,
      ]),
    );
    // and not listed by the cluster's kustomization: a test cluster without containers runs it as a process
    expect(parse(tree[`${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`]).resources).not.toContain(
      SEALED_SECRETS_FOLDER,
    );
  });

  test('lists every manifest in a kustomization, and writes the audit policy apart from them', () => {
    // given / when
    const kustomization = parse(tree[`${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`]);
    // then
    expect(kustomization.resources).toEqual(
      manifestPaths.map((path) => path.slice(CLUSTER_MANIFESTS_DIR.length + 1)),
    );
    expect(parse(tree[AUDIT_POLICY_FILE])).toEqual(clusterAuditPolicy(plan));
    expect(AUDIT_POLICY_FILE.startsWith(`${CLUSTER_MANIFESTS_DIR}/`)).toBe(false);
  });

  test('marks every file as generated, and documents the audit flags with 30 days of retention', () => {
    // given / when / then
    for (const [path, content] of Object.entries(tree)) {
      expect(content).toMatch(
        path.endsWith('.md') ? /\(generated\)/ : /^# Generated from .* by `npm run rbac:export`/,
      );
    }
    expect(tree[`${CLUSTER_DIR}/README.md`]).toContain('--audit-log-maxage=30');
    expect(tree[`${CLUSTER_DIR}/README.md`]).toContain('--audit-policy-file=');
  });

  test('writes no YAML aliases (every reader handles plain YAML)', () => {
    // given / when / then
    for (const content of Object.values(tree)) expect(content).not.toMatch(/[&*]a\d+\b/);
  });

  test('stays out of what synth owns, and synth stays out of it', () => {
    // given / when / then
    expect(SYNTH_OWNED_DIRS).not.toContain(CLUSTER_DIR);
    for (const path of Object.keys(tree)) expect(path.startsWith(`${CLUSTER_DIR}/`)).toBe(true);
  });
});

/** What `npm run rbac:export` last wrote for ArgoCD's own cluster: the committed files, by object. */
function committedObjects(): Map<string, unknown> {
  const dir = join(INFRA_DIR, CLUSTER_MANIFESTS_DIR);
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml');
  return new Map(
    files.map((name) => {
      const object = parse(readFileSync(join(dir, name), 'utf8')) as KubeObject;
      return [keyOf(object), object];
    }),
  );
}
const keyOf = (object: KubeObject): string =>
  `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

const settings = clusterSettings(stackFileValues());
const kindsOf = () => productionKinds();

describe("production's cluster objects are unchanged by the per-environment plan", () => {
  test('every object of production equals, object by object, the committed infra/cluster/manifests file', () => {
    // given
    const committed = committedObjects();
    // when
    const objects = clusterObjects(plan);
    // then: the same objects, and each one equal
    expect(objects.map(keyOf).sort()).toEqual([...committed.keys()].sort());
    for (const object of objects)
      expect([keyOf(object), object]).toEqual([keyOf(object), committed.get(keyOf(object))]);
    expect(parse(readFileSync(join(INFRA_DIR, AUDIT_POLICY_FILE), 'utf8'))).toEqual(clusterAuditPolicy(plan));
  });

  test('with a staging environment, production keeps every file byte for byte; staging gets manifests/staging/', () => {
    // given
    const alone = renderClusterTree(clusterAccessPlan(settings, { kindsOf }));
    // when
    const both = renderClusterTree(
      clusterAccessPlan(settings, { environments: [production, staging], kindsOf }),
    );
    // then
    const changed = Object.keys(alone).filter((path) => both[path] !== alone[path]);
    expect(changed).toEqual([
      `${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`,
      // the controller serves staging too: its arguments, and a RoleBinding there
      `${SEALING_DIR}/deployment-sealed-secrets-controller.yaml`,
      `${SEALING_DIR}/kustomization.yaml`,
      AUDIT_POLICY_FILE,
    ]);
    expect(both[`${SEALING_DIR}/deployment-sealed-secrets-controller.yaml`]).toContain(
      '--additional-namespaces=production,staging',
    );
    expect(Object.keys(both)).toContain(`${SEALING_DIR}/rolebinding-staging-sealed-secrets-unsealer.yaml`);
    expect(parse(both[`${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`]).resources).toEqual([
      ...parse(alone[`${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`]).resources,
      'staging',
    ]);
    const ofStaging = Object.keys(both).filter((path) =>
      path.startsWith(`${CLUSTER_MANIFESTS_DIR}/staging/`),
    );
    expect(ofStaging).toEqual(
      expect.arrayContaining([
        `${CLUSTER_MANIFESTS_DIR}/staging/namespace-staging.yaml`,
        `${CLUSTER_MANIFESTS_DIR}/staging/role-read-only.yaml`,
        `${CLUSTER_MANIFESTS_DIR}/staging/rolebinding-gitops-sync.yaml`,
        `${CLUSTER_MANIFESTS_DIR}/staging/validatingadmissionpolicy-staging-image-registry.yaml`,
        `${CLUSTER_MANIFESTS_DIR}/staging/kustomization.yaml`,
      ]),
    );
    expect(parse(both[AUDIT_POLICY_FILE]).rules).toContainEqual(
      expect.objectContaining({ level: 'RequestResponse', namespaces: ['production', 'staging'] }),
    );
  });

  test("another cluster is exported to cluster/<name>/, and production's files stay byte for byte", () => {
    // given
    const alone = renderClusterTree(clusterAccessPlan(settings, { kindsOf }));
    // when
    const both = renderClusterTree(
      clusterAccessPlan(settings, { environments: [production, prodEu], kindsOf }),
    );
    // then
    const changed = Object.keys(alone).filter((path) => both[path] !== alone[path]);
    expect(changed).toEqual([`${CLUSTER_DIR}/README.md`]);
    expect(both[`${CLUSTER_DIR}/README.md`]).toContain('`prod-eu/`');
    expect(Object.keys(both)).toEqual(
      expect.arrayContaining([
        `${CLUSTER_DIR}/prod-eu/README.md`,
        `${CLUSTER_DIR}/prod-eu/manifests/kustomization.yaml`,
        `${CLUSTER_DIR}/prod-eu/manifests/prod-eu/namespace-production.yaml`,
        `${CLUSTER_DIR}/prod-eu/audit/audit-policy.yaml`,
        // a controller of its own, with keys of its own, serving prod-eu's namespace
        `${CLUSTER_DIR}/prod-eu/manifests/${SEALED_SECRETS_FOLDER}/rolebinding-production-sealed-secrets-unsealer.yaml`,
      ]),
    );
  });

  test("fails for an environment named like the controller's folder, naming the clash", () => {
    // given
    const named = { ...staging, name: SEALED_SECRETS_FOLDER, namespace: 'sealing' };
    // when / then
    expect(() =>
      renderClusterTree(clusterAccessPlan(settings, { environments: [production, named], kindsOf })),
    ).toThrow(`environment "${SEALED_SECRETS_FOLDER}" (charts/environments.ts) would share`);
  });

  test("fails for a cluster whose name is a folder of ArgoCD's own cluster, naming the rule", () => {
    // given
    const named = { ...prodEu, cluster: { name: 'manifests', server: 'https://x:6443' } };
    // when / then
    expect(() =>
      renderClusterTree(clusterAccessPlan(settings, { environments: [production, named], kindsOf })),
    ).toThrow('cluster "manifests" (charts/environments.ts) cannot name a folder of cluster/');
  });
});
