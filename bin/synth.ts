import { writeTreeAtomically } from '../lib';
import { renderInfra } from '../charts/app';
import { INFRA_DIR, SYNTH_OWNED_DIRS } from '../charts/paths';

function main(): number {
  try {
    const tree = renderInfra();
    writeTreeAtomically(INFRA_DIR, tree, SYNTH_OWNED_DIRS);
    // `cdk8s synth` runs this program too, and lists what it finds in its own output folder.
    const cdk8sOutdir = process.env.CDK8S_OUTDIR;
    if (cdk8sOutdir) writeTreeAtomically(cdk8sOutdir, tree, SYNTH_OWNED_DIRS);
    console.error(`synth: wrote ${Object.keys(tree).length} files to ${INFRA_DIR}/`);
    return 0;
  } catch (error) {
    console.error(`synth failed; ${INFRA_DIR}/ was left unchanged.\n${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
