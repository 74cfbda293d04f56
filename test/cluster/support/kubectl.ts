import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { clusterTestEnv } from './cluster-env';

/** What a kubectl run printed and how it ended. */
export interface KubectlRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type Kubectl = (args: readonly string[]) => KubectlRun;

/**
 * The pinned kubectl (tools/cluster/build.sh builds it beside the control plane) with `kubeconfig`,
 * its discovery cache in `cacheDir` so that runs never share one. Fails at once if it is missing.
 */
export function kubectlWith(kubeconfig: string, cacheDir: string): Kubectl {
  const binary = join(clusterTestEnv().binaries, 'kubectl');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`${binary} is missing: tools/cluster/build.sh builds kubectl with the control plane`);
  }
  return (args) => {
    const result = spawnSync(binary, [`--cache-dir=${cacheDir}`, ...args], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: kubeconfig },
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}
