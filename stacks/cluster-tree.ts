import { stringify } from 'yaml';
import { FileTree } from '../lib/manifest/file-tree';
import { KubeObject } from '../lib/manifest/kube-object';
import { fileNamesOf } from '../lib/manifest/yaml-file';
import { AUDIT_RETENTION_DAYS, auditLogFlags } from '../lib/access';
import { AUDIT_POLICY_FILE, CLUSTER_DIR, CLUSTER_MANIFESTS_DIR } from '../charts/paths';
import { IN_CLUSTER } from '../charts/environment-declaration';
import { production } from '../charts/environments';
import {
  ClusterAccessPlan,
  ClusterPlan,
  EnvironmentAccessPlan,
  clusterAuditPolicy,
  environmentObjects,
} from './cluster-access';

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

/** Names a cluster folder may not take: the folders and files of ArgoCD's own cluster beside it. */
const RESERVED = ['README.md', 'audit', 'manifests'];

/**
 * The folder of a cluster's files, relative to `infra/`: ArgoCD's own cluster at `cluster/` (where
 * production always was), any other at `cluster/<name>/`, the name ArgoCD knows it by.
 */
export function clusterDirOf(name: string): string {
  if (name === IN_CLUSTER.name) return CLUSTER_DIR;
  if (RESERVED.includes(name) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new Error(
      `cluster "${name}" (charts/environments.ts) cannot name a folder of ${CLUSTER_DIR}/: use a lower-case DNS label other than ${RESERVED.join(', ')}`,
    );
  }
  return `${CLUSTER_DIR}/${name}`;
}

/** The files of `objects` in `folder`, and its kustomization listing them and `more` (sub-folders). */
function manifestFiles(
  folder: string,
  objects: readonly KubeObject[],
  more: readonly string[] = [],
): Record<string, string> {
  const names = fileNamesOf(objects);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...names, ...more],
  };
  return {
    ...Object.fromEntries(
      objects.map((object, index) => [`${folder}/${names[index]}`, yamlDocument(object)]),
    ),
    [`${folder}/kustomization.yaml`]: yamlDocument(kustomization),
  };
}

/**
 * One cluster's files: production's objects directly in `manifests/` (their files never moved), every
 * other environment's in `manifests/<environment>/` with a kustomization of its own, which the
 * cluster's lists; the audit policy of all of them in `audit/`.
 */
function renderCluster(cluster: ClusterPlan, others: readonly string[]): FileTree {
  const dir = clusterDirOf(cluster.cluster.name);
  const manifestsDir = `${dir}/${CLUSTER_MANIFESTS_DIR.slice(CLUSTER_DIR.length + 1)}`;
  const isProduction = (plan: EnvironmentAccessPlan): boolean => plan.environment === production.name;
  const atRoot = cluster.environments.filter(isProduction);
  const inFolders = cluster.environments.filter((plan) => !isProduction(plan));
  const readme = dir === CLUSTER_DIR ? README + otherClusters(others) : README;
  return {
    [`${dir}/README.md`]: readme,
    ...manifestFiles(
      manifestsDir,
      atRoot.flatMap(environmentObjects),
      inFolders.map((plan) => plan.environment),
    ),
    ...Object.assign(
      {},
      ...inFolders.map((plan) =>
        manifestFiles(`${manifestsDir}/${plan.environment}`, environmentObjects(plan)),
      ),
    ),
    [`${dir}/${AUDIT_POLICY_FILE.slice(CLUSTER_DIR.length + 1)}`]: yamlDocument(clusterAuditPolicy(cluster)),
  };
}

/** The README's paragraph on the other clusters' folders; empty while every environment runs in ArgoCD's. */
const otherClusters = (names: readonly string[]): string =>
  names.length === 0
    ? ''
    : `
Every other cluster the environments name has a folder of its own, laid out the same way: ${names
        .map((name) => `\`${name}/\``)
        .join(', ')}.
`;

/** Every file `npm run rbac:export` writes below `infra/`, keyed by path relative to it: one folder per cluster. */
export function renderClusterTree(plan: ClusterAccessPlan): FileTree {
  const others = plan.clusters
    .map((cluster) => cluster.cluster.name)
    .filter((name) => name !== IN_CLUSTER.name);
  return Object.assign({}, ...plan.clusters.map((cluster) => renderCluster(cluster, others))) as FileTree;
}
