import { renameSync, writeFileSync } from 'node:fs';
import { CommandSpec, isGeneratedBy, runCommand, writeTreeAtomically } from '../lib';
import { ACCESS_MATRIX_DOC, CLUSTER_DIR, INFRA_DIR } from '../charts/paths';
import { STACK_FILE } from '../stacks/settings';

const SPEC: CommandSpec = {
  name: 'rbac:export',
  description:
    `Writes what the Pulumi program applies to the cluster as plain YAML under ${INFRA_DIR}/${CLUSTER_DIR}/ ` +
    `(from the configuration in ${STACK_FILE}), all or nothing, and the access matrix into ${ACCESS_MATRIX_DOC}. ` +
    `A file in ${INFRA_DIR}/${CLUSTER_DIR}/ that the export did not write is never deleted: it refuses and names it.`,
  exitStatus: { 0: 'written', 1: `failed, ${INFRA_DIR}/${CLUSTER_DIR}/ unchanged`, 2: 'bad usage' },
};

runCommand(SPEC, async () => {
  try {
    // Loaded here, not at import: --help works, and a bad stack file is reported like any other error.
    const { clusterAccessPlan } = await import('../stacks/cluster-access');
    const { renderClusterTree } = await import('../stacks/cluster-tree');
    const { committedClusterSettings } = await import('../stacks/settings');
    const { accessMatrixDocument } = await import('../stacks/access-matrix');
    // One folder per cluster the environments of charts/environments.ts name.
    const tree = renderClusterTree(clusterAccessPlan(committedClusterSettings()));
    writeTreeAtomically(INFRA_DIR, tree, [CLUSTER_DIR], {
      isGenerated: (content) => isGeneratedBy('npm run rbac:export', content),
    });
    const temporary = `${ACCESS_MATRIX_DOC}.tmp`;
    writeFileSync(temporary, accessMatrixDocument());
    renameSync(temporary, ACCESS_MATRIX_DOC);
    console.error(
      `rbac:export: wrote ${Object.keys(tree).length} files to ${INFRA_DIR}/${CLUSTER_DIR}/ and ${ACCESS_MATRIX_DOC}`,
    );
    return 0;
  } catch (error) {
    console.error(
      `rbac:export failed (configuration: ${STACK_FILE}); ${INFRA_DIR}/${CLUSTER_DIR}/ was left unchanged.\n${(error as Error).message}`,
    );
    return 1;
  }
});
