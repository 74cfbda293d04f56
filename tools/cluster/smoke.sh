#!/usr/bin/env bash
# Smoke test of the test control plane: start etcd and kube-apiserver on
# loopback, wait for /readyz, check auth/RBAC and the admission APIs, stop both.
#
#   tools/cluster/smoke.sh
#
# Env: TOOLS_BIN / KUBEBUILDER_ASSETS (where the binaries are, see build.sh),
#      ETCD_CLIENT_PORT (23790), ETCD_PEER_PORT (23800), APISERVER_PORT (26443),
#      READY_TIMEOUT seconds (180), KEEP_TMP=1 to keep the temp dir (logs).
# Everything it starts is killed on EXIT/INT/TERM; all state is in a temp dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${APISERVER_PORT:-26443}"
READY_TIMEOUT="${READY_TIMEOUT:-180}"

log() { echo "[cluster/smoke] $*"; }

# Build (cached) or reuse KUBEBUILDER_ASSETS.
"$here/build.sh"
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  bin="$KUBEBUILDER_ASSETS"
else
  bin="${TOOLS_BIN:-$repo_root/.tools/bin}"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cluster-smoke.XXXXXX")"
etcd_pid=""
apiserver_pid=""
failed=1

stop_pid() { # stop_pid <pid> <name>
  local pid="$1" name="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not exit after 10s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$apiserver_pid" kube-apiserver
  apiserver_pid=""
  stop_pid "$etcd_pid" etcd
  etcd_pid=""
  if [ "$failed" = 1 ]; then
    for f in etcd.log kube-apiserver.log; do
      if [ -s "$tmp/$f" ]; then
        echo "----- last lines of $f -----"
        tail -n 30 "$tmp/$f"
      fi
    done
  fi
  if [ "${KEEP_TMP:-}" = 1 ]; then
    log "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# wait_for <seconds> <pid> <name> <command...>: retry command until it succeeds.
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

log "binaries: $bin ($("$bin/kube-apiserver" --version), etcd $("$bin/etcd" --version | sed -n 's/^etcd Version: //p'))"
log "temp dir: $tmp"

# --- etcd ---------------------------------------------------------------
etcd_url="http://127.0.0.1:$ETCD_CLIENT_PORT"
peer_url="http://127.0.0.1:$ETCD_PEER_PORT"
t0="$(now)"
"$bin/etcd" \
  --name=smoke \
  --data-dir="$tmp/etcd" \
  --listen-client-urls="$etcd_url" \
  --advertise-client-urls="$etcd_url" \
  --listen-peer-urls="$peer_url" \
  --initial-advertise-peer-urls="$peer_url" \
  --initial-cluster="smoke=$peer_url" \
  --initial-cluster-state=new \
  --unsafe-no-fsync \
  --log-level=warn \
  >"$tmp/etcd.log" 2>&1 &
etcd_pid=$!
log "started etcd (pid $etcd_pid) on $etcd_url, peer $peer_url"
etcd_healthy() { curl -fsS "$etcd_url/health" | grep -q '"health":"true"'; }
wait_for 60 "$etcd_pid" etcd etcd_healthy
log "etcd healthy after $(elapsed "$t0")s"

# --- credentials (temp dir only) ------------------------------------------
openssl genrsa -out "$tmp/sa.key" 2048 2>/dev/null
openssl rsa -in "$tmp/sa.key" -pubout -out "$tmp/sa.pub" 2>/dev/null
token="$(openssl rand -hex 32)"
( umask 077; printf '%s,smoke-admin,smoke-admin-uid,"system:masters"\n' "$token" >"$tmp/tokens.csv" )

# --- kube-apiserver ---------------------------------------------------------
api="https://127.0.0.1:$APISERVER_PORT"
apiserver_flags=(
  --advertise-address=127.0.0.1
  --bind-address=127.0.0.1
  --secure-port="$APISERVER_PORT"
  --cert-dir="$tmp/certs"
  --etcd-servers="$etcd_url"
  --authorization-mode=RBAC
  --token-auth-file="$tmp/tokens.csv"
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
  --service-account-key-file="$tmp/sa.pub"
  --service-account-signing-key-file="$tmp/sa.key"
  --service-cluster-ip-range=10.0.0.0/24
  # No controller-manager runs, so no "default" ServiceAccount is ever
  # created; the ServiceAccount admission plugin would reject every Pod.
  --disable-admission-plugins=ServiceAccount
)
t1="$(now)"
"$bin/kube-apiserver" "${apiserver_flags[@]}" >"$tmp/kube-apiserver.log" 2>&1 &
apiserver_pid=$!
log "started kube-apiserver (pid $apiserver_pid) on $api with flags:"
printf '    %s\n' "${apiserver_flags[@]}"

kcurl() { curl -ksS --max-time 10 -H "Authorization: Bearer $token" "$@"; }
readyz_ok() { [ "$(kcurl "$api/readyz")" = ok ]; }
wait_for "$READY_TIMEOUT" "$apiserver_pid" kube-apiserver readyz_ok
log "/readyz ok after $(elapsed "$t1")s (kube-apiserver start), $(elapsed "$t0")s total"

# --- checks -----------------------------------------------------------------
check() { # check <description> <command...>
  local desc="$1"
  shift
  if "$@"; then
    log "ok: $desc"
  else
    log "FAIL: $desc"
    return 1
  fi
}
version="$(kcurl "$api/version" | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')"
log "server version: $version"
check "/version reports a release (not v0.0.0)" test -n "$version" -a "${version#v0.0.0}" = "$version"
check "token user (system:masters) can list namespaces" \
  bash -c '[ "$(curl -ksS -o /dev/null -w "%{http_code}" -H "Authorization: Bearer '"$token"'" '"$api"'/api/v1/namespaces)" = 200 ]'
check "anonymous user is forbidden by RBAC" \
  bash -c '[ "$(curl -ksS -o /dev/null -w "%{http_code}" '"$api"'/api/v1/namespaces)" = 403 ]'
check "admissionregistration.k8s.io/v1 serves validatingadmissionpolicies" \
  bash -c "$(declare -f kcurl); token='$token'; kcurl '$api/apis/admissionregistration.k8s.io/v1' | grep -q '\"name\": *\"validatingadmissionpolicies\"'"

failed=0
log "PASS"
