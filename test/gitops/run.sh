#!/usr/bin/env bash
# The GitOps suite: a real ArgoCD syncs our unchanged generated objects into a simulated cluster
# (`npm run test:gitops`; docs/gitops-tests.md).
#
#   test/gitops/run.sh [jest options...]     # e.g. -t 'self-heal'
#   test/gitops/run.sh --exec CMD [ARG...]   # run CMD with the stack up and robson-backend-prod Synced and
#                                            # Healthy, instead of jest
#
# 1. checks the binaries (built, cached, by tools/build.sh, tools/cluster/build.sh, tools/kwok/build.sh,
#    ArgoCD's and Pulumi's build scripts into $TOOLS_BIN); redis-server from Debian;
# 2. starts, each in its own process group, on loopback only, state in a temp dir: etcd and kube-apiserver
#    (test/support/control-plane.sh, as the cluster suite does: audit policy, admission), kube-controller-
#    manager, kube-scheduler, kwok (one Node that runs no containers; kwok's own Stages make pods Running and
#    Ready and Jobs' pods complete), redis, the loopback github.com (test/gitops/support/github-proxy.ts)
#    serving a bare repository whose `main` is this repository's HEAD commit and, named as FAKES, GitHub's
#    pull-request list (api.github.com) and Slack's chat.postMessage (slack.com), and ArgoCD's
#    application-controller, repo-server, notifications controller (twice: our generated settings, and a
#    copy the tests may create with shorter thresholds), ApplicationSet controller and API server (TLS),
#    and the Sealed Secrets controller (tools/sealed-secrets) as its generated ServiceAccount;
# 3. applies, unchanged: ArgoCD's released CRDs, infra/cluster/manifests (ArgoCD's namespace among them;
#    of its sealed-secrets/ folder everything but the Deployment: the controller runs as a process),
#    ArgoCD's own installation objects (ServiceAccount, Role from the release, argocd-cm/-secret/-cmd-params-cm),
#    then infra/argocd/applications/root.yaml, which creates everything else from Git (app of apps);
# 4. waits for robson-backend-prod to be Synced and Healthy and argocd-server to answer, then runs CMD, or
#    jest (jest.gitops.config.js) once per group of test/gitops/support/file-order.js, side by side, with
#    GITOPS_KUBECONFIG (cluster admin), GITOPS_GIT_REMOTE (push here; its `main` is what ArgoCD sees) and
#    the other GITOPS_* variables (docs/gitops-tests.md);
# 5. stops everything on success, failure, Ctrl-C or TERM; KEEP_TMP=1 keeps the temp dir and the logs.
#
# Env: TOOLS_BIN (binaries; default .tools/bin), ARGOCD_CRDS_DIR (see tools/argocd/crds.sh),
# GITOPS_CONTROLLER_AS (serviceaccount, default: ArgoCD's controller runs as
# argocd/argocd-application-controller with only the RBAC Git and ArgoCD's release grant; admin: as the
# cluster admin), GITOPS_RECONCILIATION (seconds between ArgoCD's polls of Git; 10), READY_TIMEOUT (180).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
log() { echo "[gitops] $*" >&2; } # until the shared script is sourced
fail() {
  log "$*"
  exit 1
}

command=()
jest_args=()
if [ "${1:-}" = --exec ]; then
  shift
  [ "$#" -gt 0 ] || { log "--exec needs a command"; exit 2; }
  command=("$@")
else
  jest_args=("$@")
fi
GITOPS_RECONCILIATION="${GITOPS_RECONCILIATION:-10}"
GITOPS_CONTROLLER_AS="${GITOPS_CONTROLLER_AS:-serviceaccount}"
case "$GITOPS_CONTROLLER_AS" in
  serviceaccount | admin) ;;
  *) fail "GITOPS_CONTROLLER_AS=$GITOPS_CONTROLLER_AS: use serviceaccount (default) or admin" ;;
esac
run_start=$SECONDS

# --- binaries -------------------------------------------------------------------------------------------
export TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
bin="$TOOLS_BIN"
bash "$repo_root/tools/build.sh" >&2
bash "$repo_root/tools/cluster/build.sh" >&2
bash "$repo_root/tools/kwok/build.sh" >&2
bash "$repo_root/tools/argocd/build.sh" >&2
# The Pulumi engine applies a new environment's cluster half (staging-environment.test.ts), as admins do.
bash "$repo_root/tools/pulumi/build.sh" >&2
bash "$repo_root/tools/sealed-secrets/build.sh" >&2
for tool in etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kwok argocd \
  argocd-application-controller argocd-repo-server argocd-notifications argocd-applicationset-controller \
  argocd-server git-verify-wrapper.sh pulumi pulumi-resource-kubernetes sealed-secrets-controller kubeseal; do
  [ -x "$bin/$tool" ] || fail "$bin/$tool is missing: build the stack's tools (tools/cluster/build.sh, tools/kwok/build.sh, the build scripts in tools/argocd/, tools/pulumi/ and tools/sealed-secrets/) with TOOLS_BIN=$bin"
done
redis="$(command -v redis-server || true)"
[ -n "$redis" ] || fail "redis-server not found: ArgoCD's cache; install Debian's package (apt-get install -y redis-server)"
command -v git >/dev/null || fail "git not found: the loopback github.com serves a git repository"
ARGOCD_CRDS_DIR="$(bash "$repo_root/tools/argocd/crds.sh")" || fail "ArgoCD's CRDs are needed (tools/argocd/crds.sh, docs/argocd.md)"
argocd_manifests="$(cd "$ARGOCD_CRDS_DIR/.." && pwd)" # manifests/ of the same release
kwok_version="$(awk '$1 == "sigs.k8s.io/kwok" { print $2; exit }' "$repo_root/tools/kwok/go.mod")"
kwok_stages="$(GOWORK=off PATH="$PATH:/usr/local/go/bin" go env GOMODCACHE)/sigs.k8s.io/kwok@$kwok_version/kustomize/stage"
if [ ! -f "$kwok_stages/pod/general/pod-ready.yaml" ]; then
  # A cached kwok binary without the module source (a CI cache of TOOLS_BIN only): fetch the module,
  # checked against tools/kwok/go.sum by the go command.
  log "fetching sigs.k8s.io/kwok $kwok_version for its Stages"
  (cd "$repo_root/tools/kwok" && GOWORK=off PATH="$PATH:/usr/local/go/bin" go mod download sigs.k8s.io/kwok) >&2
fi
[ -f "$kwok_stages/pod/general/pod-ready.yaml" ] ||
  fail "kwok's Stages not found in $kwok_stages: run tools/kwok/build.sh (it downloads the module sigs.k8s.io/kwok $kwok_version)"

# What ArgoCD sees is what is committed: a dirty tree is not tested, say so.
head_sha="$(git -C "$repo_root" rev-parse HEAD)"
if [ -n "$(git -C "$repo_root" status --porcelain --untracked-files=no)" ]; then
  log "WARNING: the working tree has uncommitted changes; ArgoCD syncs the committed HEAD $head_sha, not them"
fi

# --- control plane ----------------------------------------------------------------------------------------
export cp_log_prefix=gitops
# shellcheck source-path=SCRIPTDIR source=../support/control-plane.sh
source "$repo_root/test/support/control-plane.sh"
cp_init gitops-test
log "temp dir: $tmp"
cp_pki
cp_start_etcd "$bin"
cp_start_apiserver "$bin"
admin_kubeconfig="$tmp/admin.kubeconfig"
cp_kubeconfig "$admin_kubeconfig" cluster-test-admin "$pki/admin.crt" "$pki/admin.key"
kubectl() { "$bin/kubectl" --kubeconfig="$admin_kubeconfig" "$@"; }

# The controllers a Deployment needs to get pods, a Job to finish, and a deleted Namespace (a closed
# preview) to go: the rest of kube-controller-manager (nodes, endpoints...) has nothing to do without kubelets.
cp_start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$admin_kubeconfig" \
  --controllers=deployment,replicaset,serviceaccount,garbagecollector,job,cronjob,disruption,namespace \
  --leader-elect=false --secure-port=0 --use-service-account-credentials=false
cp_start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$admin_kubeconfig" --leader-elect=false --secure-port=0

# kwok: one Node that runs nothing; its released Stages (node-initialize; the general pod lifecycle: ready,
# complete for Jobs' pods, delete) move the objects as a kubelet would.
stages="$tmp/kwok-stages.yaml"
for f in "$kwok_stages"/node/fast/node-initialize.yaml "$kwok_stages"/pod/general/pod-*.yaml; do
  cat "$f"
  echo "---"
done >"$stages"
read -r kwok_port < <(free_ports 1)
cp_start kwok "$bin/kwok" --kubeconfig="$admin_kubeconfig" --manage-all-nodes=true --config="$stages" \
  --server-address="127.0.0.1:$kwok_port"
kubectl apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  labels: { kubernetes.io/hostname: kwok-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok }
  annotations: { kwok.x-k8s.io/node: fake }
status:
  allocatable: { cpu: "32", memory: 64Gi, pods: "110" }
  capacity: { cpu: "32", memory: 64Gi, pods: "110" }
EOF
# The API server taints a new Node not-ready; the node-lifecycle controller (not running: no kubelets)
# would lift it once the Node reports Ready.
kubectl taint node kwok-node-0 node.kubernetes.io/not-ready:NoSchedule- >/dev/null 2>&1 || true

# redis: ArgoCD's cache; loopback, nothing written to disk.
read -r redis_port < <(free_ports 1)
cp_start redis "$redis" --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --protected-mode yes
redis_ping() { exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && [[ "$reply" == +PONG* ]]; }
wait_for 30 "$cp_pid" redis redis_ping

# --- the loopback github.com ----------------------------------------------------------------------------
git_dir="$tmp/github"
mkdir -p "$git_dir"
cp_start github-proxy "$repo_root/node_modules/.bin/tsx" "$repo_root/test/gitops/support/github-proxy.ts" --dir "$git_dir"
proxy_pid=$cp_pid
wait_for 60 "$proxy_pid" github-proxy test -s "$git_dir/proxy.env"
# shellcheck disable=SC1091 # written by the proxy: HTTPS_PROXY, its CA, ArgoCD's TLS data folder
source "$git_dir/proxy.env"
remote="${GITOPS_GIT_REMOTE:-$git_dir/remote.git}"
[ -d "$remote" ] || fail "the github proxy wrote no bare repository at $remote"
git -C "$repo_root" push -q "$remote" "$head_sha:refs/heads/main"
log "github.com/robson/production-infra.git main = $head_sha (via ${HTTPS_PROXY:?the proxy must say HTTPS_PROXY})"

# The credentials ArgoCD is given, made now with random values (never in Git): the Secrets below hold
# them, and the fakes accept exactly them. Obviously fake, not shaped like a real Slack or GitHub token.
# No newline: kubectl create secret --from-file keeps it, and a token ending in one is an invalid header.
secret_value() { printf "gitops-test-%s" "$(openssl rand -hex 16)"; }
(
  umask 077
  secret_value >"${FAKE_SLACK_TOKENS_DIR:?the proxy must say FAKE_SLACK_TOKENS_DIR}/argocd-notifications-secret"
  secret_value >"$FAKE_SLACK_TOKENS_DIR/argocd-notifications-secret-short-threshold"
  secret_value >"${FAKE_GITHUB_TOKEN_FILE:?the proxy must say FAKE_GITHUB_TOKEN_FILE}"
  mkdir -p "$tmp/secrets"
  secret_value >"$tmp/secrets/admin-password"
)

# --- ArgoCD's installation in its namespace (not ours: the release's, or ArgoCD's required settings) --------
kubectl apply --server-side -k "$ARGOCD_CRDS_DIR" >/dev/null
wait_for 60 "$apiserver_pid" "ArgoCD's CRDs" kubectl wait --for condition=established --timeout=5s crd/applications.argoproj.io crd/appprojects.argoproj.io crd/applicationsets.argoproj.io
kubectl apply -k "$repo_root/infra/cluster/manifests" >/dev/null
# (ArgoCD's namespace came with infra/cluster/manifests, as `pulumi up` makes it.)
kubectl apply -n argocd -f "$argocd_manifests/base/application-controller-roles/argocd-application-controller-sa.yaml" \
  -f "$argocd_manifests/base/application-controller-roles/argocd-application-controller-role.yaml" \
  -f "$argocd_manifests/base/application-controller-roles/argocd-application-controller-rolebinding.yaml" >/dev/null
# The other components' identities, as the release's namespaced installation gives them (unchanged).
for component in notification/argocd-notifications-controller applicationset-controller/argocd-applicationset-controller \
  server/argocd-server; do
  kubectl apply -n argocd -f "$argocd_manifests/base/$component-sa.yaml" -f "$argocd_manifests/base/$component-role.yaml" \
    -f "$argocd_manifests/base/$component-rolebinding.yaml" >/dev/null
done
# The Secrets our settings only reference (the names and keys infra/argocd says), filled from the files
# above: the Slack token of argocd-notifications-cm, the GitHub token of the previews ApplicationSet.
kubectl create secret generic -n argocd argocd-notifications-secret \
  --from-file=slack-token="$FAKE_SLACK_TOKENS_DIR/argocd-notifications-secret" >/dev/null
kubectl create secret generic -n argocd argocd-notifications-secret-short-threshold \
  --from-file=slack-token="$FAKE_SLACK_TOKENS_DIR/argocd-notifications-secret-short-threshold" >/dev/null
kubectl create secret generic -n argocd github-pull-requests --from-file=token="$FAKE_GITHUB_TOKEN_FILE" >/dev/null
# argocd-server's TLS (it reads argocd-server-tls): a certificate for 127.0.0.1 from the suite's throw-away CA.
(
  umask 077
  cd "$pki"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=argocd-server" \
    -keyout argocd-server.key -out argocd-server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >argocd-server.ext
  openssl x509 -req -in argocd-server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile argocd-server.ext -out argocd-server.crt 2>/dev/null
)
kubectl create secret tls -n argocd argocd-server-tls --cert="$pki/argocd-server.crt" --key="$pki/argocd-server.key" >/dev/null
read -r server_port server_metrics < <(free_ports 2)
admin_hash="$("$bin/argocd" account bcrypt --password "$(cat "$tmp/secrets/admin-password")")"
# argocd-rbac-cm and argocd-notifications-cm are ours (infra/argocd/settings): root brings them from Git.
kubectl apply -n argocd -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  labels: { app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd }
data:
  # Poll Git every few seconds, not every 3 minutes: the suite asks for refreshes, this is the fallback.
  timeout.reconciliation: ${GITOPS_RECONCILIATION}s
  timeout.reconciliation.jitter: 0s
  # Skip the kinds the controller may not list (secrets in production) instead of failing the cache.
  resource.respectRBAC: normal
  # argocd-server's own address (the alerts' links come from argocd-notifications-cm, not from here).
  url: https://127.0.0.1:${server_port}
---
apiVersion: v1
kind: Secret
metadata:
  name: argocd-secret
  labels: { app.kubernetes.io/name: argocd-secret, app.kubernetes.io/part-of: argocd }
type: Opaque
stringData:
  server.secretkey: gitops-test-$(openssl rand -hex 16)
  # The local admin, who mints the ci role's token: a random password, only its bcrypt hash here.
  admin.password: '${admin_hash}'
  admin.passwordMtime: '$(date -u +%Y-%m-%dT%H:%M:%SZ)'
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cmd-params-cm
  labels: { app.kubernetes.io/name: argocd-cmd-params-cm, app.kubernetes.io/part-of: argocd }
data: {}
EOF

# sa_kubeconfig <ServiceAccount> [<its namespace>, default argocd]: writes a kubeconfig acting with a
# token of it (mode 0600) and prints its path.
sa_kubeconfig() {
  local file="$tmp/$1.kubeconfig" token namespace="${2:-argocd}"
  token="$(kubectl create token "$1" -n "$namespace" --duration=4h)"
  (
    umask 077
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: cluster-test
    cluster: { server: "$api", certificate-authority-data: "$(base64 -w0 <"$pki/ca.crt")" }
users:
  - name: $1
    user: { token: "$token" }
contexts:
  - name: cluster-test
    context: { cluster: cluster-test, user: $1, namespace: $namespace }
current-context: cluster-test
EOF
  )
  echo "$file"
}

controller_kubeconfig="$admin_kubeconfig"
if [ "$GITOPS_CONTROLLER_AS" = serviceaccount ]; then
  # As in ArgoCD's namespaced installation: the in-cluster destination limited to the namespaces the
  # controller has RBAC in (ours: production; the release's Role: argocd), no cluster-scoped objects (the
  # RBAC grants nothing cluster-wide: a cluster-scoped object is refused before the AppProject is asked).
  kubectl apply -n argocd -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Secret
metadata:
  name: in-cluster
  labels: { argocd.argoproj.io/secret-type: cluster }
type: Opaque
stringData:
  name: in-cluster
  server: https://kubernetes.default.svc
  namespaces: argocd,production
  clusterResources: "false"
  config: '{"tlsClientConfig":{"insecure":false}}'
EOF
  controller_kubeconfig="$(sa_kubeconfig argocd-application-controller)"
fi
log "ArgoCD's controller acts as: $GITOPS_CONTROLLER_AS"

# --- the Sealed Secrets controller -----------------------------------------------------------------------
# Its generated objects but the Deployment (its CRD, namespace, ServiceAccount, the unsealer ClusterRole and
# its RoleBindings); the controller itself runs here as a process with a token of that ServiceAccount and
# the generated Deployment's arguments (tools/sealed-secrets/build.sh: the one change that lets it read
# $KUBECONFIG). It also serves a namespace of the tests' own (sealed-secrets-controller.test.ts), bound as
# the generated bindings bind production. Its first key is made while ArgoCD starts.
sealing_dir="$repo_root/infra/cluster/manifests/sealed-secrets"
sealing_files=()
for file in "$sealing_dir"/*.yaml; do
  case "${file##*/}" in kustomization.yaml | deployment-*) ;; *) sealing_files+=(-f "$file") ;; esac
done
kubectl apply "${sealing_files[@]}" >/dev/null
sealing_test_namespace=sealed-secrets-test
kubectl create namespace "$sealing_test_namespace" >/dev/null
kubectl create rolebinding sealed-secrets-unsealer -n "$sealing_test_namespace" --clusterrole=sealed-secrets-unsealer \
  --serviceaccount=sealed-secrets:sealed-secrets-controller >/dev/null
wait_for 60 "$apiserver_pid" "the SealedSecret CRD" kubectl wait --for condition=established --timeout=5s crd/sealedsecrets.bitnami.com
read -r sealing_port sealing_metrics < <(free_ports 2)
mapfile -t sealing_args < <(YAML_MODULE="$repo_root/node_modules/yaml" node -e '
  const [file, port, metrics, extra] = process.argv.slice(1);
  const deployment = require(process.env.YAML_MODULE).parse(require("fs").readFileSync(file, "utf8"));
  for (const arg of deployment.spec.template.spec.containers[0].args)
    console.log(arg.startsWith("--listen-addr=") ? `--listen-addr=127.0.0.1:${port}`
      : arg.startsWith("--listen-metrics-addr=") ? `--listen-metrics-addr=127.0.0.1:${metrics}`
      : arg.startsWith("--additional-namespaces=") ? `${arg},${extra}` : arg);
' "$sealing_dir/deployment-sealed-secrets-controller.yaml" "$sealing_port" "$sealing_metrics" "$sealing_test_namespace")
[ "${#sealing_args[@]}" -gt 0 ] || fail "no controller arguments in $sealing_dir/deployment-sealed-secrets-controller.yaml"
cp_start sealed-secrets-controller env "KUBECONFIG=$(sa_kubeconfig sealed-secrets-controller sealed-secrets)" \
  POD_NAMESPACE=sealed-secrets "$bin/sealed-secrets-controller" "${sealing_args[@]}"
sealing_pid=$cp_pid
log "sealed-secrets-controller ${sealing_args[*]}"

# --- ArgoCD ----------------------------------------------------------------------------------------------
read -r repo_port repo_metrics controller_metrics < <(free_ports 3)
argocd_env=(
  env "PATH=$bin:$PATH" "ARGOCD_RECONCILIATION_TIMEOUT=${GITOPS_RECONCILIATION}s"
  # No signature verification is configured (no GPG keys): ArgoCD's own switch, not a missing keyring.
  "HOME=$tmp/argocd-home" ARGOCD_GPG_ENABLED=false
)
mkdir -p "$tmp/argocd-home"
cp_failure_logs=(argocd-application-controller.log argocd-repo-server.log kwok.log github-proxy.log
  argocd-notifications.log argocd-notifications-short-threshold.log argocd-applicationset-controller.log
  argocd-server.log sealed-secrets-controller.log)
# v3.5.1 refuses --disable-tls unless --client-ca-path is emptied (its default names an in-pod Secret path).
# The repo-server alone talks to github.com, through the proxy; it trusts the proxy's CA for that host.
cp_start argocd-repo-server "${argocd_env[@]}" "HTTPS_PROXY=$HTTPS_PROXY" "NO_PROXY=127.0.0.1,localhost" \
  "ARGOCD_TLS_DATA_PATH=${ARGOCD_TLS_DATA_PATH:?the proxy must say ARGOCD_TLS_DATA_PATH}" \
  "$bin/argocd-repo-server" --address 127.0.0.1 --port "$repo_port" --metrics-address 127.0.0.1 \
  --metrics-port "$repo_metrics" --redis "127.0.0.1:$redis_port" --disable-tls --client-ca-path= --logformat text --loglevel info
repo_pid=$cp_pid
wait_for 60 "$repo_pid" argocd-repo-server bash -c "exec 3<>/dev/tcp/127.0.0.1/$repo_port"
# ARGOCD_FAKE_IN_CLUSTER: https://kubernetes.default.svc is the cluster of $KUBECONFIG.
# --persist-resource-health: each resource's health in the Application's status (v3 keeps it only in
# redis by default), so a failure can name the resource that is not Healthy.
cp_start argocd-application-controller "${argocd_env[@]}" ARGOCD_FAKE_IN_CLUSTER=true \
  "KUBECONFIG=$controller_kubeconfig" \
  "$bin/argocd-application-controller" --kubeconfig "$controller_kubeconfig" --namespace argocd \
  --repo-server "127.0.0.1:$repo_port" --repo-server-plaintext --redis "127.0.0.1:$redis_port" \
  --metrics-port "$controller_metrics" --app-resync "$GITOPS_RECONCILIATION" --app-resync-jitter 0 \
  --status-processors 4 --operation-processors 2 --persist-resource-health --logformat text --loglevel info
controller_pid=$cp_pid

# The notifications controller, as its ServiceAccount (the release's Role), with our generated
# argocd-notifications-cm and the Secret above. Slack's client (notifications-engine) honours HTTPS_PROXY
# and trusts, for slack.com, the certificate in <ARGOCD_TLS_DATA_PATH>/slack.com. Applications labelled
# as the test copy's are left to the second controller.
# Its metrics listener binds 0.0.0.0 (hard-coded in cmd/argocd-notification): on a free port.
read -r notifications_metrics copy_metrics appset_metrics appset_probe appset_webhook < <(free_ports 5)
notifications_copy_label=gitops-suite/notifications=short-threshold
notifications_env=("${argocd_env[@]}" "HTTPS_PROXY=$HTTPS_PROXY" "NO_PROXY=127.0.0.1,localhost"
  "ARGOCD_TLS_DATA_PATH=$ARGOCD_TLS_DATA_PATH")
notifications_kubeconfig="$(sa_kubeconfig argocd-notifications-controller)"
cp_start argocd-notifications "${notifications_env[@]}" "$bin/argocd-notifications" \
  --kubeconfig "$notifications_kubeconfig" --namespace argocd --argocd-repo-server "127.0.0.1:$repo_port" \
  --argocd-repo-server-plaintext --metrics-port "$notifications_metrics" \
  --app-label-selector "${notifications_copy_label/=/!=}" --logformat text --loglevel info
# The second one reads a COPY of the settings (argocd-notifications-cm-short-threshold, created by the test
# that needs it, with shorter thresholds) and its own Secret, for the labelled test Applications only.
cp_start argocd-notifications-short-threshold "${notifications_env[@]}" "$bin/argocd-notifications" \
  --kubeconfig "$notifications_kubeconfig" --namespace argocd --argocd-repo-server "127.0.0.1:$repo_port" \
  --argocd-repo-server-plaintext --metrics-port "$copy_metrics" \
  --config-map-name argocd-notifications-cm-short-threshold \
  --secret-name argocd-notifications-secret-short-threshold \
  --app-label-selector "$notifications_copy_label" --logformat text --loglevel info
# The ApplicationSet controller, as its ServiceAccount (the release's Role). Its GitHub client is a plain
# Go HTTP client: HTTPS_PROXY, and only the system's roots (SSL_CERT_FILE; ARGOCD_TLS_DATA_PATH and
# --scm-root-ca-path are not read for GitHub).
# controller-runtime, underneath, reads only $KUBECONFIG.
appset_kubeconfig="$(sa_kubeconfig argocd-applicationset-controller)"
cp_start argocd-applicationset-controller "${argocd_env[@]}" "HTTPS_PROXY=$HTTPS_PROXY" \
  "NO_PROXY=127.0.0.1,localhost" "SSL_CERT_FILE=${GITHUB_PROXY_CA_FILE:?the proxy must say GITHUB_PROXY_CA_FILE}" \
  "KUBECONFIG=$appset_kubeconfig" "$bin/argocd-applicationset-controller" --kubeconfig "$appset_kubeconfig" \
  --namespace argocd --argocd-repo-server "127.0.0.1:$repo_port" --repo-server-plaintext \
  --metrics-addr "127.0.0.1:$appset_metrics" --probe-addr "127.0.0.1:$appset_probe" \
  --webhook-addr "127.0.0.1:$appset_webhook" --logformat text --loglevel info
# The API server, as its ServiceAccount (the release's Role), TLS with argocd-server-tls, no Dex, no UI.
server_kubeconfig="$(sa_kubeconfig argocd-server)"
mkdir -p "$tmp/argocd-ui"
cp_start argocd-server "${argocd_env[@]}" ARGOCD_FAKE_IN_CLUSTER=true "KUBECONFIG=$server_kubeconfig" \
  "$bin/argocd-server" --kubeconfig "$server_kubeconfig" --namespace argocd --address 127.0.0.1 \
  --port "$server_port" --metrics-port "$server_metrics" --repo-server "127.0.0.1:$repo_port" \
  --repo-server-plaintext --redis "127.0.0.1:$redis_port" --dex-server '' --staticassets "$tmp/argocd-ui" \
  --logformat text --loglevel info
server_pid=$cp_pid
server_healthy() { curl -fsS --max-time 5 --cacert "$pki/ca.crt" "https://127.0.0.1:$server_port/healthz" >/dev/null; }

# --- the root Application: everything else comes from Git ------------------------------------------------
if [ "$GITOPS_CONTROLLER_AS" = serviceaccount ]; then
  # root may not write our settings ConfigMaps here (docs/gitops-tests.md, the finding): an administrator
  # applies them, unchanged from Git, as the missing grant would let root do.
  kubectl apply -f "$repo_root/infra/argocd/settings/" >/dev/null
fi
kubectl apply -f "$repo_root/infra/argocd/projects/gitops.yaml" -f "$repo_root/infra/argocd/applications/root.yaml" >/dev/null
app_state() {
  kubectl get application -n argocd robson-backend-prod \
    -o jsonpath='{.status.sync.status}/{.status.health.status}' 2>/dev/null
}
synced_healthy() { [ "$(app_state)" = Synced/Healthy ]; }
# The stand-in for the ingress controller (there is none): an Ingress without a load-balancer status
# stays Progressing, and PruneLast waits for Healthy. Filled in as soon as the Ingress exists.
ingress_status() {
  kubectl get ingress -n production backend >/dev/null 2>&1 &&
    kubectl patch ingress -n production backend --subresource=status --type=merge \
      -p '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}' >/dev/null
}
start=$SECONDS
wait_for "$READY_TIMEOUT" "$controller_pid" argocd-application-controller ingress_status ||
  fail "the Ingress production/backend never appeared; robson-backend-prod is $(app_state)"
if ! wait_for "$READY_TIMEOUT" "$controller_pid" argocd-application-controller synced_healthy; then
  kubectl get applications -n argocd -o yaml | grep -A12 -E '^    (conditions|operationState):' >&2 || true
  fail "robson-backend-prod is $(app_state), not Synced/Healthy"
fi
log "robson-backend-prod Synced and Healthy $((SECONDS - start))s after root was applied"
wait_for 60 "$server_pid" argocd-server server_healthy || fail "argocd-server is not answering on 127.0.0.1:$server_port"
# The sealing controller's first key (a Secret labelled active), and its certificate, fetched as an
# administrator does, for the tests to seal with.
sealing_key() { [ -n "$(kubectl get secret -n sealed-secrets -l sealedsecrets.bitnami.com/sealed-secrets-key=active -o name)" ]; }
sealing_cert="$tmp/sealing-cert.pem"
fetch_cert() { "$bin/kubeseal" --fetch-cert --cert "http://127.0.0.1:$sealing_port/v1/cert.pem" >"$sealing_cert" && [ -s "$sealing_cert" ]; }
wait_for 60 "$sealing_pid" sealed-secrets-controller sealing_key || fail "the Sealed Secrets controller made no sealing key"
wait_for 30 "$sealing_pid" sealed-secrets-controller fetch_cert ||
  fail "kubeseal --fetch-cert got no certificate from the controller on 127.0.0.1:$sealing_port"
log "stack up in $((SECONDS - run_start))s; argocd-server on https://127.0.0.1:$server_port"

# --- the suite -------------------------------------------------------------------------------------------
export PATH="$bin:$PATH"
export GITOPS_KUBECONFIG="$admin_kubeconfig"
export GITOPS_GIT_REMOTE="$remote"
export GITOPS_HEAD="$head_sha"
export GITOPS_TOOLS_BIN="$bin"
export GITOPS_RECONCILIATION
export GITOPS_CONTROLLER_AS
export GITOPS_SCRATCH="$tmp/scratch"
export GITOPS_ARGOCD_SERVER="127.0.0.1:$server_port"
export GITOPS_ARGOCD_CA_FILE="$pki/ca.crt"
export GITOPS_ARGOCD_ADMIN_PASSWORD_FILE="$tmp/secrets/admin-password"
export GITOPS_SLACK_MESSAGES="$FAKE_SLACK_MESSAGES"
export GITOPS_PULL_REQUESTS="$FAKE_GITHUB_PULL_REQUESTS"
export GITOPS_NOTIFICATIONS_COPY_LABEL="$notifications_copy_label"
export GITOPS_SEALING_CERT="$sealing_cert"
export GITOPS_SEALING_NAMESPACE="$sealing_test_namespace"
mkdir -p "$GITOPS_SCRATCH"
env | grep -E '^GITOPS_' | sed 's/^/export /' >"$tmp/gitops.env"
cd "$repo_root"
run_pids=()
if [ "${#command[@]}" -gt 0 ]; then
  log "environment in $tmp/gitops.env; running: ${command[*]}"
  "${command[@]}" </dev/null &
  run_pids+=("$!")
  pids+=("$!:${command[0]##*/}")
else
  # One jest per group of files (test/gitops/support/file-order.js), side by side, each file after the
  # other inside its group; every line says its group.
  log "environment in $tmp/gitops.env; running jest, one per group of test/gitops/support/file-order.js"
  cp_test_output="$tmp/jest-output.log"
  # Each group writes its own --outputFile (one file for three writers would keep only the last); they
  # are merged into the file asked for once all have finished.
  output_file=""
  for arg in "${jest_args[@]}"; do [[ "$arg" != --outputFile=* ]] || output_file="${arg#--outputFile=}"; done
  group_outputs=()
  while IFS=$'\t' read -r group pattern; do
    group_args=()
    for arg in "${jest_args[@]}"; do
      if [[ "$arg" == --outputFile=* ]]; then
        group_args+=("--outputFile=$tmp/jest-$group.json")
        group_outputs+=("$tmp/jest-$group.json")
      else
        group_args+=("$arg")
      fi
    done
    "$repo_root/node_modules/.bin/jest" -c "$repo_root/jest.gitops.config.js" --runInBand --passWithNoTests \
      --testPathPatterns "$pattern" "${group_args[@]}" </dev/null > >(sed -u "s/^/[$group] /" | tee -a "$cp_test_output") 2>&1 &
    run_pids+=("$!")
    pids+=("$!:jest-$group")
  done < <(node "$here/support/file-order.js")
fi
rc=0
set +e
for run_pid in "${run_pids[@]}"; do
  wait "$run_pid"
  status=$?
  [ "$status" = 0 ] || rc=$status
done
set -e
if [ -n "${output_file:-}" ]; then
  node -e '
    const fs = require("fs");
    const [target, ...parts] = process.argv.slice(1);
    const runs = parts.filter((file) => fs.existsSync(file)).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
    const merged = { ...runs[0], testResults: runs.flatMap((run) => run.testResults) };
    for (const key of Object.keys(merged).filter((name) => /^num[A-Z]/.test(name)))
      merged[key] = runs.reduce((total, run) => total + run[key], 0);
    merged.success = runs.length === parts.length && runs.every((run) => run.success);
    fs.writeFileSync(target, JSON.stringify(merged));
  ' "$output_file" "${group_outputs[@]}"
fi
for entry in "${pids[@]}"; do
  pid="${entry%%:*}"
  if [[ " ${run_pids[*]} " != *" $pid "* ]] && ! kill -0 "$pid" 2>/dev/null; then
    log "${entry#*:} exited while the suite ran"
    cp_failure_logs+=("${entry#*:}.log")
    [ "$rc" != 0 ] || rc=1
  fi
done
log "finished with exit code $rc in $((SECONDS - run_start))s"
exit "$rc"
