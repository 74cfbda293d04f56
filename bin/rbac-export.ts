import { renameSync, writeFileSync } from 'node:fs';
import { writeTreeAtomically } from '../lib/synth/write-tree';
import { ACCESS_MATRIX_DOC, CLUSTER_DIR, INFRA_DIR } from '../charts/paths';
import { clusterAccessPlan } from '../stacks/cluster-access';
import { renderClusterTree } from '../stacks/cluster-tree';
import { clusterSettings, stackFileValues, STACK_FILE } from '../stacks/settings';
import { accessMatrixDocument } from '../test/access/access-matrix';

/**
 * Writes what the Pulumi program applies to the cluster as plain YAML under infra/cluster/ (from the
 * configuration in Pulumi.prod.yaml), and the access matrix into docs/. All or nothing for infra/cluster/.
 */
function main(): number {
  try {
    const tree = renderClusterTree(clusterAccessPlan(clusterSettings(stackFileValues())));
    writeTreeAtomically(INFRA_DIR, tree, [CLUSTER_DIR]);
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
}

process.exitCode = main();
