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
set -m # every background job gets its own process group, so it can be stopped as a whole

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
AUDIT_POLICY="$repo_root/infra/cluster/audit/audit-policy.yaml"

log() { echo "[cluster] $*" >&2; }

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

# --- process bookkeeping ----------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/cluster-test.XXXXXX")"
pids=()  # "<pid>:<name>", started in this order, stopped in reverse
started=0 # 1 once the control plane is up: later failures are the suite's, not the servers'

# stop_group <pid> <name>: TERM the process group, KILL it after 10 s.
stop_group() {
  local pid="$1" name="$2" i
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "stopping $name (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      log "$name still running after 10s: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? i entry
  trap - EXIT INT TERM
  set +m # no job-control notices ("Terminated") while stopping
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    entry="${pids[$i]}"
    stop_group "${entry%%:*}" "${entry#*:}"
  done
  if [ "$started" = 0 ] && [ "$rc" != 0 ]; then
    for f in etcd.log kube-apiserver.log; do
      if [ -s "$tmp/$f" ]; then
        echo "----- last lines of $f -----" >&2
        tail -n 40 "$tmp/$f" >&2
      fi
    done
  fi
  if [ "${KEEP_TMP:-}" = 1 ]; then
    log "kept $tmp (server logs, audit log, kubeconfig)"
  else
    [ "$rc" = 0 ] || log "KEEP_TMP=1 keeps the server logs and the audit log for a look"
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# wait_for <seconds> <pid> <name> <command...>: retry the command until it succeeds.
wait_for() {
  local timeout="$1" pid="$2" name="$3" deadline
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before becoming ready"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name not ready after ${timeout}s"
      return 1
    fi
    sleep 0.2
  done
}

# free_ports <n>: n distinct free TCP ports on 127.0.0.1.
free_ports() {
  node -e '
    const net = require("node:net");
    const open = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => resolve(s)); });
    (async () => {
      const servers = await Promise.all(Array.from({ length: Number(process.argv[1]) }, open));
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    })();' "$1"
}

log "binaries: $bin ($("$bin/kube-apiserver" --version), etcd $("$bin/etcd" --version | sed -n 's/^etcd Version: //p'))"
log "temp dir: $tmp"
read -r etcd_port peer_port api_port < <(free_ports 3)

# --- PKI: one throw-away CA signs the serving certificate and every client certificate ---------------
pki="$tmp/pki"
mkdir -p "$pki"
(
  umask 077
  cd "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=cluster-test-ca" -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >apiserver.ext
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile apiserver.ext -out apiserver.crt 2>/dev/null
  # The suite's administrator: system:masters, as a cluster admin's kubeconfig is.
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/O=system:masters/CN=cluster-test-admin" -keyout admin.key -out admin.csr 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile client.ext -out admin.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
)

# --- etcd ---------------------------------------------------------------------------------------------
etcd_url="http://127.0.0.1:$etcd_port"
peer_url="http://127.0.0.1:$peer_port"
"$bin/etcd" \
  --name=cluster-test \
  --data-dir="$tmp/etcd" \
  --listen-client-urls="$etcd_url" \
  --advertise-client-urls="$etcd_url" \
  --listen-peer-urls="$peer_url" \
  --initial-advertise-peer-urls="$peer_url" \
  --initial-cluster="cluster-test=$peer_url" \
  --initial-cluster-state=new \
  --unsafe-no-fsync \
  --log-level=warn \
  </dev/null >"$tmp/etcd.log" 2>&1 &
etcd_pid=$!
pids+=("$etcd_pid:etcd")
etcd_healthy() { curl -fsS "$etcd_url/health" | grep -q '"health":"true"'; }
wait_for 60 "$etcd_pid" etcd etcd_healthy
log "etcd ready on $etcd_url (pid $etcd_pid)"

# --- kube-apiserver -----------------------------------------------------------------------------------
api="https://127.0.0.1:$api_port"
audit_log="$tmp/audit/audit.log"
mkdir -p "$tmp/audit"
# shellcheck disable=SC2054 # the commas separate admission plugins inside one flag
apiserver_flags=(
  --advertise-address=127.0.0.1
  --bind-address=127.0.0.1
  --secure-port="$api_port"
  --tls-cert-file="$pki/apiserver.crt"
  --tls-private-key-file="$pki/apiserver.key"
  --client-ca-file="$pki/ca.crt"
  --etcd-servers="$etcd_url"
  --authorization-mode=RBAC
  # As production control planes run (kubeadm's default): privileged pods are valid API objects, and
  # only Pod Security admission keeps them out of restricted namespaces.
  --allow-privileged=true
  # Default-on plugins, named so a reader sees what the policy relies on; ServiceAccount needs each
  # namespace's "default" ServiceAccount, which the suite creates as the (absent) controller would.
  --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,ValidatingAdmissionPolicy
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
  --service-account-key-file="$pki/sa.pub"
  --service-account-signing-key-file="$pki/sa.key"
  --service-cluster-ip-range=10.0.0.0/24
  # The "kubernetes" Service's endpoints cannot be a loopback address; nothing here needs them.
  --endpoint-reconciler-type=none
)
if [ -f "$AUDIT_POLICY" ]; then
  # The flags infra/cluster/README.md tells admins to use (lib/access/audit-policy.ts auditLogFlags()).
  apiserver_flags+=(
    --audit-policy-file="$AUDIT_POLICY"
    --audit-log-path="$audit_log"
    --audit-log-format=json
    --audit-log-maxage=30
    --audit-log-maxbackup=0
    --audit-log-maxsize=100
  )
else
  log "WARNING: $AUDIT_POLICY does not exist: no audit log; the audit tests will fail"
fi
printf '%s\n' "${apiserver_flags[@]}" >"$tmp/kube-apiserver.flags"
"$bin/kube-apiserver" "${apiserver_flags[@]}" </dev/null >"$tmp/kube-apiserver.log" 2>&1 &
apiserver_pid=$!
pids+=("$apiserver_pid:kube-apiserver")

kcurl() { curl -sS --max-time 10 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
readyz_ok() { [ "$(kcurl "$api/readyz")" = ok ]; }
start=$SECONDS
wait_for "$READY_TIMEOUT" "$apiserver_pid" kube-apiserver readyz_ok
log "kube-apiserver ready on $api (pid $apiserver_pid) after $((SECONDS - start))s"
started=1

# --- what the suite needs -----------------------------------------------------------------------------
b64() { base64 -w0 <"$1"; }
kubeconfig="$tmp/admin.kubeconfig"
(
  umask 077
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: cluster-test
    cluster:
      server: $api
      certificate-authority-data: $(b64 "$pki/ca.crt")
users:
  - name: cluster-test-admin
    user:
      client-certificate-data: $(b64 "$pki/admin.crt")
      client-key-data: $(b64 "$pki/admin.key")
contexts:
  - name: cluster-test
    context: { cluster: cluster-test, user: cluster-test-admin }
current-context: cluster-test
EOF
)
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
