import { parse } from 'yaml';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { AUDIT_POLICY_FILE, CLUSTER_DIR, CLUSTER_MANIFESTS_DIR, SYNTH_OWNED_DIRS } from '../../charts/paths';
import { clusterAccessPlan, clusterAuditPolicy, clusterObjects } from '../../stacks/cluster-access';
import { renderClusterTree } from '../../stacks/cluster-tree';
import { clusterSettings, stackFileValues } from '../../stacks/settings';

const plan = clusterAccessPlan(clusterSettings(stackFileValues()));
const tree = renderClusterTree(plan);
const manifestPaths = Object.keys(tree).filter(
  (path) => path.startsWith(`${CLUSTER_MANIFESTS_DIR}/`) && !path.endsWith('kustomization.yaml'),
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
    for (const path of manifestPaths) expect(() => model(parse(tree[path])).validate()).not.toThrow();
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
