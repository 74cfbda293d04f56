#!/usr/bin/env bash
# Conformance suite against a real control plane (`npm run test:cluster`).
#
#   test/cluster/run.sh [jest options...]     # e.g. -t 'admission' or --ci --json --outputFile=r.json
#   test/cluster/run.sh --exec CMD [ARG...]   # run CMD instead of jest, with the same environment
#
# 1. builds (cached) kustomize + kubeconform (tools/build.sh) and kube-apiserver + etcd
#    (tools/cluster/build.sh; KUBEBUILDER_ASSETS with both binaries is used instead when set);
# 2. starts etcd and kube-apiserver on free loopback ports, all state in a temp dir: TLS from a throw-away
#    CA, client-certificate authentication, RBAC authorization, the default admission chain (which in
#    Kubernetes >= 1.30 includes PodSecurity and ValidatingAdmissionPolicy) and the generated audit
#    policy (infra/cluster/audit/audit-policy.yaml, `AUDIT_POLICY_FILE` in charts/paths.ts);
# 3. runs the jest suite of test/cluster/ (jest.cluster.config.js) with CLUSTER_TEST_* variables that
#    say where the kubeconfig, the CA (to mint client certificates of personas) and the audit log are;
# 4. stops every process it started (each in its own process group), on success, failure, Ctrl-C or
#    TERM, and deletes the temp dir (KEEP_TMP=1 keeps it, with the logs).
#
# Env: KUBEBUILDER_ASSETS, TOOLS_BIN (see tools/cluster/build.sh); ARGOCD_CRDS_DIR (ArgoCD's released
# CRDs; default: manifests/crds/ of the Go module pinned by tools/argocd/go.mod, see tools/argocd/crds.sh);
# READY_TIMEOUT seconds (180).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
log() { echo "[cluster] $*" >&2; } # until the shared script is sourced

command=()
if [ "${1:-}" = --exec ]; then
  shift
  [ "$#" -gt 0 ] || { log "--exec needs a command"; exit 2; }
  command=("$@")
else
  command=("$repo_root/node_modules/.bin/jest" -c "$repo_root/jest.cluster.config.js" --runInBand "$@")
fi

# --- binaries ---------------------------------------------------------------------------------------
bash "$repo_root/tools/build.sh" >&2
bash "$repo_root/tools/cluster/build.sh" >&2
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ] && [ -x "$KUBEBUILDER_ASSETS/kubectl" ]; then
  bin="$KUBEBUILDER_ASSETS"
else
  bin="${TOOLS_BIN:-$repo_root/.tools/bin}"
fi

# ArgoCD's released CRDs, the same source as `npm test`: the pinned Go module, or the ARGOCD_CRDS_DIR
# override; an absolute path. Stops here, before any server starts, with the script's reason.
ARGOCD_CRDS_DIR="$(bash "$repo_root/tools/argocd/crds.sh")" || {
  log "ArgoCD's CRDs are needed by the suite (tools/argocd/crds.sh, docs/argocd.md)"
  exit 1
}
log "ArgoCD CRDs: $ARGOCD_CRDS_DIR"

# --- control plane: etcd + kube-apiserver, each in its own process group, stopped on exit -----------
export cp_log_prefix=cluster
# shellcheck source-path=SCRIPTDIR source=../support/control-plane.sh
source "$repo_root/test/support/control-plane.sh"
cp_init cluster-test
log "binaries: $bin ($("$bin/kube-apiserver" --version), etcd $("$bin/etcd" --version | sed -n 's/^etcd Version: //p'))"
log "temp dir: $tmp"
cp_pki
cp_start_etcd "$bin"
cp_start_apiserver "$bin"

# --- what the suite needs -----------------------------------------------------------------------------
kubeconfig="$tmp/admin.kubeconfig"
cp_kubeconfig "$kubeconfig" cluster-test-admin "$pki/admin.crt" "$pki/admin.key"
mkdir -p "$tmp/scratch"
# kustomize and kubeconform are found in .tools/bin or on PATH (lib/kustomize/kustomize-build.ts findTool).
export PATH="${TOOLS_BIN:-$repo_root/.tools/bin}:$PATH"
export CLUSTER_TEST_SERVER="$api"
export CLUSTER_TEST_BINARIES="$bin"
export CLUSTER_TEST_KUBECONFIG="$kubeconfig"
export CLUSTER_TEST_CA_CERT="$pki/ca.crt"
export CLUSTER_TEST_CA_KEY="$pki/ca.key"
export CLUSTER_TEST_APISERVER_FLAGS="$tmp/kube-apiserver.flags"
export CLUSTER_TEST_AUDIT_LOG="$audit_log"
export CLUSTER_TEST_SCRATCH="$tmp/scratch"
export ARGOCD_CRDS_DIR
env | grep -E '^(CLUSTER_TEST_|ARGOCD_CRDS_DIR=)' | sed 's/^/export /' >"$tmp/cluster.env"
log "environment in $tmp/cluster.env; running: ${command[*]}"

cd "$repo_root"
"${command[@]}" </dev/null &
run_pid=$!
pids+=("$run_pid:${command[0]##*/}")
set +e
wait "$run_pid"
rc=$?
set -e
if ! kill -0 "$apiserver_pid" 2>/dev/null; then
  log "kube-apiserver exited while the suite ran"
  started=0 # show its log
  [ "$rc" != 0 ] || rc=1
fi
log "finished with exit code $rc"
exit "$rc"
