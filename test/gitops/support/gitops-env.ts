/** What `test/gitops/run.sh` tells the suite about the stack it started. */
export interface GitopsEnv {
  /** Kubeconfig of a `system:masters` administrator of the simulated cluster. */
  readonly kubeconfig: string;
  /** The bare repository ArgoCD reads as https://github.com/robson/production-infra.git: push here. */
  readonly gitRemote: string;
  /** The commit `main` held when the stack started (this repository's HEAD). */
  readonly head: string;
  /** Where kubectl and the other binaries are. */
  readonly toolsBin: string;
  /** Seconds between ArgoCD's own polls of Git (`timeout.reconciliation`). */
  readonly reconciliationSeconds: number;
  /** An empty folder for the suite's clones, deleted with the stack. */
  readonly scratch: string;
  /** Who ArgoCD's controller acts as: its ServiceAccount (with our RBAC) or the cluster admin. */
  readonly controllerAs: 'serviceaccount' | 'admin';
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the GitOps suite runs against the stack test/gitops/run.sh starts; run \`npm run test:gitops\``,
    );
  }
  return value;
};

/** Reads the GITOPS_* variables; throws, naming the launcher, when the suite is run without it. */
export function gitopsEnv(): GitopsEnv {
  return {
    kubeconfig: required('GITOPS_KUBECONFIG'),
    gitRemote: required('GITOPS_GIT_REMOTE'),
    head: required('GITOPS_HEAD'),
    toolsBin: required('GITOPS_TOOLS_BIN'),
    reconciliationSeconds: Number(required('GITOPS_RECONCILIATION')),
    scratch: required('GITOPS_SCRATCH'),
    controllerAs: required('GITOPS_CONTROLLER_AS') === 'admin' ? 'admin' : 'serviceaccount',
  };
}
