import { stringify } from 'yaml';
import { FileTree } from '../lib/manifest/file-tree';
import { KubeObject } from '../lib/manifest/kube-object';
import { fileNameOf, fileNamesOf } from '../lib/manifest/yaml-file';
import { AUDIT_RETENTION_DAYS, SEALED_SECRETS_NAMESPACE, auditLogFlags } from '../lib/access';
import { AUDIT_POLICY_FILE, CLUSTER_DIR, CLUSTER_MANIFESTS_DIR } from '../charts/paths';
import { IN_CLUSTER } from '../charts/environment-declaration';
import { production } from '../charts/environments';
import {
  ClusterAccessPlan,
  ClusterPlan,
  EnvironmentAccessPlan,
  argocdObjects,
  clusterAuditPolicy,
  environmentObjects,
  sealedSecretsObjectsOf,
} from './cluster-access';

/** The folder of the Sealed Secrets controller's objects below a cluster's `manifests/`. */
export const SEALED_SECRETS_FOLDER = 'sealed-secrets';

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
- \`manifests/${SEALED_SECRETS_FOLDER}/\`: the Sealed Secrets controller \`pulumi up\` also installs (its CRD,
  namespace, RBAC in the namespaces it serves, Service and Deployment), apart from the kustomization
  above: a test cluster without containers runs the controller as a process instead
  (\`docs/runbooks/sealing-keys.md\`, \`docs/gitops-tests.md\`).
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
  names: readonly string[] = fileNamesOf(objects),
): Record<string, string> {
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
  const clash = inFolders.find((plan) => plan.environment === SEALED_SECRETS_FOLDER);
  if (clash) {
    throw new Error(
      `environment "${clash.environment}" (charts/environments.ts) would share ${manifestsDir}/${SEALED_SECRETS_FOLDER}/ with the Sealed Secrets controller: rename the environment`,
    );
  }
  const readme = dir === CLUSTER_DIR ? README + otherClusters(others) : README;
  return {
    [`${dir}/README.md`]: readme,
    ...manifestFiles(
      manifestsDir,
      [...argocdObjects(cluster), ...atRoot.flatMap(environmentObjects)],
      inFolders.map((plan) => plan.environment),
    ),
    ...Object.assign(
      {},
      ...inFolders.map((plan) =>
        manifestFiles(`${manifestsDir}/${plan.environment}`, environmentObjects(plan)),
      ),
    ),
    ...sealedSecretsFiles(`${manifestsDir}/${SEALED_SECRETS_FOLDER}`, cluster),
    [`${dir}/${AUDIT_POLICY_FILE.slice(CLUSTER_DIR.length + 1)}`]: yamlDocument(clusterAuditPolicy(cluster)),
  };
}

/**
 * The controller's files: `<kind>-<name>.yaml`, but the RoleBindings of the namespaces it serves, which
 * share one name, `rolebinding-<namespace>-<name>.yaml`.
 */
function sealedSecretsFiles(folder: string, cluster: ClusterPlan): Record<string, string> {
  const objects = sealedSecretsObjectsOf(cluster);
  const home = cluster.sealedSecrets.namespace ?? SEALED_SECRETS_NAMESPACE;
  const names = objects.map((object) => {
    const namespace = object.metadata?.namespace;
    return namespace === undefined || namespace === home
      ? fileNameOf(object)
      : `${object.kind.toLowerCase()}-${namespace}-${object.metadata?.name ?? 'unnamed'}.yaml`;
  });
  const clash = names.find((name, index) => names.indexOf(name) !== index);
  if (clash) throw new Error(`two Sealed Secrets objects would be written to ${folder}/${clash}`);
  return manifestFiles(folder, objects, [], names);
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
