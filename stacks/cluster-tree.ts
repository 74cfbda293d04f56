import { stringify } from 'yaml';
import { FileTree } from '../lib/manifest/file-tree';
import { fileNamesOf } from '../lib/manifest/yaml-file';
import { AUDIT_RETENTION_DAYS, auditLogFlags } from '../lib/access';
import { AUDIT_POLICY_FILE, CLUSTER_DIR, CLUSTER_MANIFESTS_DIR } from '../charts/paths';
import { ClusterAccessPlan, clusterAuditPolicy, clusterObjects } from './cluster-access';

const SOURCE = 'stacks/cluster-access.ts';
const COMMAND = '`npm run rbac:export`';

function yamlDocument(document: unknown): string {
  return (
    `# Generated from ${SOURCE} by ${COMMAND}. Do not edit: change the source and re-run the export.\n` +
    stringify(document, { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false })
  );
}

const AUDIT_FLAGS = auditLogFlags({
  policyFile: '/etc/kubernetes/audit/audit-policy.yaml',
  logFile: '/var/log/kubernetes/audit/audit.log',
});

const README = `# infra/cluster (generated)

Written by ${COMMAND} from \`${SOURCE}\` and \`lib/access/\`: the same functions the Pulumi program
(\`stacks/\`) declares its Kubernetes resources with. Do not edit these files: change the TypeScript and
re-run the export. CI fails when this folder differs from what the code generates.

- \`manifests/\`: the namespaces, RBAC and admission policies \`pulumi up\` applies. Admins apply them
  with Pulumi; \`kubectl apply -k manifests\` is for test clusters only.
- \`audit/audit-policy.yaml\`: the API server's audit policy. It is a file kube-apiserver reads, not an
  object: copy it to the control-plane nodes and start kube-apiserver with

\`\`\`
${AUDIT_FLAGS.join(' \\\n')}
\`\`\`

  \`--audit-log-maxage=${AUDIT_RETENTION_DAYS}\` deletes log files older than ${AUDIT_RETENTION_DAYS} days; \`--audit-log-maxbackup=0\` keeps every
  file younger than that whatever their number. A node's disk is not an archive: ship the log to central
  storage that also keeps it ${AUDIT_RETENTION_DAYS} days.
`;

/** Every file `npm run rbac:export` writes below `infra/`, keyed by path relative to it. */
export function renderClusterTree(plan: ClusterAccessPlan): FileTree {
  const objects = clusterObjects(plan);
  const names = fileNamesOf(objects);
  const manifests = Object.fromEntries(
    objects.map((object, index) => [`${CLUSTER_MANIFESTS_DIR}/${names[index]}`, yamlDocument(object)]),
  );
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: names,
  };
  return {
    [`${CLUSTER_DIR}/README.md`]: README,
    ...manifests,
    [`${CLUSTER_MANIFESTS_DIR}/kustomization.yaml`]: yamlDocument(kustomization),
    [AUDIT_POLICY_FILE]: yamlDocument(clusterAuditPolicy(plan)),
  };
}
