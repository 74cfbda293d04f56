# shellcheck shell=bash
# Shared by test/cluster/run.sh and test/gitops/run.sh (sourced, not run): a throw-away control plane on
# loopback and the bookkeeping that stops it.
#
#   cp_log_prefix=cluster; source test/support/control-plane.sh
#   cp_init cluster-test              # temp dir ($tmp), traps: every started process is stopped on exit,
#                                     # failure, Ctrl-C or TERM; KEEP_TMP=1 keeps $tmp and the logs
#   cp_pki                            # CA, serving certificate, admin client certificate, SA key pair
#   cp_start_etcd "$bin"              # -> $etcd_url
#   cp_start_apiserver "$bin" [extra kube-apiserver flags...]   # -> $api, $audit_log, $started=1
#   cp_kubeconfig FILE NAME CERT KEY  # kubeconfig for a client certificate
#   cp_start NAME CMD...              # any other process, in its own process group, log in $tmp/NAME.log
#
# Every process runs in its own process group (set -m), so stopping it stops what it forked too; they are
# stopped in reverse order of start. Before the control plane is up ($started=0), a failure prints the last
# lines of each log; afterwards cp_failure_logs (names of $tmp/*.log) says which logs are worth printing.

# Set by the caller: repo_root (the repository), cp_log_prefix (the log prefix).
: "${repo_root:?repo_root must be set before sourcing control-plane.sh}"

set -m # every background job gets its own process group, so it can be stopped as a whole

cp_log_prefix="${cp_log_prefix:-control-plane}"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
pids=()            # "<pid>:<name>", started in this order, stopped in reverse
started=0          # 1 once the control plane is up: later failures are the suite's, not the servers'
cp_failure_logs=() # extra logs printed when the run fails after start-up
cp_test_output=""  # a copy of the tests' output: its failed tests are printed last when the run fails

log() { echo "[$cp_log_prefix] $*" >&2; }

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

cp_tail_log() {
  if [ -s "$tmp/$1" ]; then
    echo "----- last lines of $1 -----" >&2
    tail -n "${2:-40}" "$tmp/$1" >&2
  fi
}

cp_cleanup() {
  local rc=$? i entry f
  trap - EXIT INT TERM
  set +m # no job-control notices ("Terminated") while stopping
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    entry="${pids[$i]}"
    stop_group "${entry%%:*}" "${entry#*:}"
  done
  if [ "$rc" != 0 ]; then
    if [ "$started" = 0 ]; then
      for f in "$tmp"/*.log; do [ -e "$f" ] && cp_tail_log "${f##*/}"; done
    else
      for f in "${cp_failure_logs[@]}"; do cp_tail_log "$f" 20; done
    fi
    # Last, so that the end of a CI log (often all that is shown) names what failed, not server chatter.
    if [ -n "${cp_test_output:-}" ] && [ -s "$cp_test_output" ]; then
      echo "----- failed tests, from the test output above -----" >&2
      grep -E '(✕|●) ' "$cp_test_output" >&2 || echo "(no failed test: the run stopped outside the tests)" >&2
    fi
  fi
  if [ "${KEEP_TMP:-}" = 1 ]; then
    log "kept $tmp (server logs, audit log, kubeconfig)"
  else
    [ "$rc" = 0 ] || log "KEEP_TMP=1 keeps the server logs and the audit log for a look"
    rm -rf "$tmp"
  fi
  exit "$rc"
}

# cp_init <temp dir prefix>: the temp dir and the traps.
cp_init() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap cp_cleanup EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}

# wait_for <seconds> <pid> <name> <command...>: retry the command until it succeeds.
wait_for() {
  local timeout="$1" pid="$2" name="$3" deadline dead
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before becoming ready"
      return 1
    fi
    if dead="$(cp_first_exited)"; then
      log "$dead exited while waiting for $name"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name not ready after ${timeout}s"
      return 1
    fi
    sleep 0.2
  done
}

# cp_first_exited: prints the name of the first started process that is no longer running; fails if none.
cp_first_exited() {
  local entry
  for entry in "${pids[@]}"; do
    if ! kill -0 "${entry%%:*}" 2>/dev/null; then
      echo "${entry#*:}"
      return 0
    fi
  done
  return 1
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

# cp_start <name> <command...>: starts the command in its own process group, output in $tmp/<name>.log;
# sets cp_pid.
cp_start() {
  local name="$1"
  shift
  "$@" </dev/null >"$tmp/$name.log" 2>&1 &
  cp_pid=$!
  pids+=("$cp_pid:$name")
}

# --- PKI: one throw-away CA signs the serving certificate and every client certificate ---------------
cp_pki() {
  pki="$tmp/pki"
  mkdir -p "$pki"
  (
    umask 077
    cd "$pki" || exit 1
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
}

# --- etcd ---------------------------------------------------------------------------------------------
# cp_start_etcd <bin dir>: sets etcd_url, etcd_pid.
cp_start_etcd() {
  local etcd_port peer_port peer_url
  read -r etcd_port peer_port < <(free_ports 2)
  etcd_url="http://127.0.0.1:$etcd_port"
  peer_url="http://127.0.0.1:$peer_port"
  cp_start etcd "$1/etcd" \
    --name=cluster-test \
    --data-dir="$tmp/etcd" \
    --listen-client-urls="$etcd_url" \
    --advertise-client-urls="$etcd_url" \
    --listen-peer-urls="$peer_url" \
    --initial-advertise-peer-urls="$peer_url" \
    --initial-cluster="cluster-test=$peer_url" \
    --initial-cluster-state=new \
    --unsafe-no-fsync \
    --log-level=warn
  etcd_pid=$cp_pid
  wait_for 60 "$etcd_pid" etcd etcd_healthy
  log "etcd ready on $etcd_url (pid $etcd_pid)"
}
etcd_healthy() { curl -fsS "$etcd_url/health" | grep -q '"health":"true"'; }

# --- kube-apiserver -----------------------------------------------------------------------------------
kcurl() { curl -sS --max-time 10 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
readyz_ok() { [ "$(kcurl "$api/readyz")" = ok ]; }

# cp_start_apiserver <bin dir> [extra flags...]: sets api, audit_log, apiserver_pid, started=1; the flags
# are written one a line to $tmp/kube-apiserver.flags. Uses $repo_root for the generated audit policy.
cp_start_apiserver() {
  local bin_dir="$1" api_port start audit_policy="$repo_root/infra/cluster/audit/audit-policy.yaml"
  shift
  read -r api_port < <(free_ports 1)
  api="https://127.0.0.1:$api_port"
  audit_log="$tmp/audit/audit.log"
  mkdir -p "$tmp/audit"
  # shellcheck disable=SC2054 # the commas separate admission plugins inside one flag
  local flags=(
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
    # namespace's "default" ServiceAccount (the controller-manager's, or the cluster suite's, job).
    --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,ValidatingAdmissionPolicy
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-account-key-file="$pki/sa.pub"
    --service-account-signing-key-file="$pki/sa.key"
    --service-cluster-ip-range=10.0.0.0/24
    # The "kubernetes" Service's endpoints cannot be a loopback address; nothing here needs them.
    --endpoint-reconciler-type=none
  )
  if [ -f "$audit_policy" ]; then
    # The flags infra/cluster/README.md tells admins to use (lib/access/audit-policy.ts auditLogFlags()).
    flags+=(
      --audit-policy-file="$audit_policy"
      --audit-log-path="$audit_log"
      --audit-log-format=json
      --audit-log-maxage=30
      --audit-log-maxbackup=0
      --audit-log-maxsize=100
    )
  else
    log "WARNING: $audit_policy does not exist: no audit log; the audit tests will fail"
  fi
  flags+=("$@")
  printf '%s\n' "${flags[@]}" >"$tmp/kube-apiserver.flags"
  cp_start kube-apiserver "$bin_dir/kube-apiserver" "${flags[@]}"
  apiserver_pid=$cp_pid
  start=$SECONDS
  wait_for "$READY_TIMEOUT" "$apiserver_pid" kube-apiserver readyz_ok
  log "kube-apiserver ready on $api (pid $apiserver_pid) after $((SECONDS - start))s"
  started=1
}

# cp_kubeconfig <file> <user name> <client cert> <client key>: a kubeconfig for $api, mode 0600.
cp_kubeconfig() {
  local b64cert b64key b64ca
  b64ca="$(base64 -w0 <"$pki/ca.crt")"
  b64cert="$(base64 -w0 <"$3")"
  b64key="$(base64 -w0 <"$4")"
  (
    umask 077
    cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: cluster-test
    cluster:
      server: $api
      certificate-authority-data: $b64ca
users:
  - name: $2
    user:
      client-certificate-data: $b64cert
      client-key-data: $b64key
contexts:
  - name: cluster-test
    context: { cluster: cluster-test, user: $2 }
current-context: cluster-test
EOF
  )
}
