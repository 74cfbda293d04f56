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
  /** argocd-server's `host:port` on loopback (TLS). */
  readonly argocdServer: string;
  /** The CA that signed argocd-server's certificate. */
  readonly argocdCaFile: string;
  /** The local admin's password (random, made at start; only its bcrypt hash is in argocd-secret). */
  readonly adminPasswordFile: string;
  /** What the fake Slack received, one JSON object a line. */
  readonly slackMessagesFile: string;
  /** What the fake GitHub lists as pull requests (a JSON array the tests write). */
  readonly pullRequestsFile: string;
  /** `key=value`: the label that hands an Application to the notifications controller of the settings copy. */
  readonly notificationsCopyLabel: string;
  /** The Sealed Secrets controller's certificate (PEM), as `kubeseal --fetch-cert` fetched it at start. */
  readonly sealingCertFile: string;
  /** A namespace the Sealed Secrets controller serves besides production, for the tests' own objects. */
  readonly sealingNamespace: string;
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
    argocdServer: required('GITOPS_ARGOCD_SERVER'),
    argocdCaFile: required('GITOPS_ARGOCD_CA_FILE'),
    adminPasswordFile: required('GITOPS_ARGOCD_ADMIN_PASSWORD_FILE'),
    slackMessagesFile: required('GITOPS_SLACK_MESSAGES'),
    pullRequestsFile: required('GITOPS_PULL_REQUESTS'),
    notificationsCopyLabel: required('GITOPS_NOTIFICATIONS_COPY_LABEL'),
    sealingCertFile: required('GITOPS_SEALING_CERT'),
    sealingNamespace: required('GITOPS_SEALING_NAMESPACE'),
  };
}
