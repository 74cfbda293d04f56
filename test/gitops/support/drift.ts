import { spawnSync } from 'node:child_process';
import { gitopsEnv } from './gitops-env';
import { REPO_ROOT } from '../../helpers/tools';

/** One finding of `npm run drift -- --json` (lib/drift/find-drift.ts DriftFinding), as the suite reads it. */
export interface DriftFinding {
  readonly object: { readonly kind: string; readonly namespace: string; readonly name: string };
  readonly field?: string;
  readonly reason: string;
  readonly manager: string;
}

/** Runs `npm run drift -- --kubeconfig <admin> --json` against the stack: its exit code and findings. */
export function drift(): { status: number | null; findings: readonly DriftFinding[]; output: string } {
  const run = spawnSync(
    `${REPO_ROOT}/node_modules/.bin/tsx`,
    ['bin/drift.ts', '--kubeconfig', gitopsEnv().kubeconfig, '--json'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  const output = `${run.stdout}${run.stderr}`;
  try {
    const { findings } = JSON.parse(run.stdout) as { findings: DriftFinding[] };
    return { status: run.status, findings, output };
  } catch (error) {
    throw new Error(`npm run drift printed no JSON (exit ${run.status}):\n${output}`, { cause: error });
  }
}
