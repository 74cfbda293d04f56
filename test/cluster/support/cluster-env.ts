/** What `test/cluster/run.sh` tells the suite about the control plane it started. */
export interface ClusterTestEnv {
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** The folder kube-apiserver and etcd were started from. */
  readonly binaries: string;
  /** Kubeconfig of a `system:masters` administrator. */
  readonly kubeconfig: string;
  /** The throw-away CA the API server trusts for client certificates (and serves with). */
  readonly caCert: string;
  readonly caKey: string;
  /** The kube-apiserver flags, one a line. */
  readonly apiserverFlagsFile: string;
  /** Where the API server writes its audit log (JSON lines). */
  readonly auditLog: string;
  /** An empty folder for the suite's own files, deleted with the control plane. */
  readonly scratch: string;
  /**
   * ArgoCD's released CRDs (`manifests/crds/` of the release), as `tools/argocd/crds.sh` resolved them for
   * the launcher: the pinned Go module, or the `ARGOCD_CRDS_DIR` override.
   */
  readonly argocdCrdsDir: string;
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the cluster suite runs against the API server that test/cluster/run.sh starts; run \`npm run test:cluster\``,
    );
  }
  return value;
};

/** Reads the CLUSTER_TEST_* variables; throws, naming the launcher, when the suite is run without it. */
export function clusterTestEnv(): ClusterTestEnv {
  return {
    server: required('CLUSTER_TEST_SERVER'),
    binaries: required('CLUSTER_TEST_BINARIES'),
    kubeconfig: required('CLUSTER_TEST_KUBECONFIG'),
    caCert: required('CLUSTER_TEST_CA_CERT'),
    caKey: required('CLUSTER_TEST_CA_KEY'),
    apiserverFlagsFile: required('CLUSTER_TEST_APISERVER_FLAGS'),
    auditLog: required('CLUSTER_TEST_AUDIT_LOG'),
    scratch: required('CLUSTER_TEST_SCRATCH'),
    argocdCrdsDir: required('ARGOCD_CRDS_DIR'),
  };
}
