#!/usr/bin/env bash
# Build the test control plane (kube-apiserver + etcd), kubectl, and the GitOps stack's
# kube-controller-manager + kube-scheduler from the Go modules pinned in tools/cluster/go.mod and
# tools/cluster/etcd/go.mod.
#
#   tools/cluster/build.sh            # -> <repo>/.tools/bin/{kube-apiserver,etcd,kubectl,kube-controller-manager,kube-scheduler}
#   TOOLS_BIN=/some/dir tools/cluster/build.sh
#
# Cached: nothing is rebuilt while all five binaries exist and
# $TOOLS_BIN/.stamp-cluster holds the sha256 of the go.mod/go.sum files.
# If KUBEBUILDER_ASSETS points at a directory that already has kube-apiserver, etcd and kubectl
# (envtest's assets do), those three are used from there; envtest ships no controller manager or
# scheduler, so those two are built into $TOOLS_BIN in any case.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
stamp_file="$TOOLS_BIN/.stamp-cluster"

log() { echo "[cluster/build] $*"; }

# The control plane proper: taken from KUBEBUILDER_ASSETS when it has all three.
core=(kube-apiserver etcd kubectl)
# Always built here: envtest's assets have neither.
always=(kube-controller-manager kube-scheduler)
use_assets=0
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  if [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ] && [ -x "$KUBEBUILDER_ASSETS/kubectl" ]; then
    log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has kube-apiserver, etcd and kubectl; using them, building only ${always[*]} into $TOOLS_BIN"
    use_assets=1
  else
    log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks kube-apiserver, etcd or kubectl; building all into $TOOLS_BIN"
  fi
fi
wanted=("${always[@]}")
((use_assets)) || wanted+=("${core[@]}")

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  else
    echo "[cluster/build] go not found (need Go >= 1.26)" >&2
    exit 1
  fi
fi

mod_files=("$here/go.mod" "$here/go.sum" "$here/etcd/go.mod" "$here/etcd/go.sum")
want_stamp="$(cat "${mod_files[@]}" | sha256sum | cut -d' ' -f1)"

# The stamp records what was built for these module files; with the assets' binaries in use, only the
# two always built here (a different set, hence a different stamp).
((use_assets)) && want_stamp="$want_stamp extra-only"
fresh=0
[ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ] && fresh=1
for b in "${wanted[@]}"; do [ -x "$TOOLS_BIN/$b" ] || fresh=0; done
if ((fresh)); then
  log "up to date in $TOOLS_BIN: ${wanted[*]} (stamp $want_stamp)"
  exit 0
fi

mkdir -p "$TOOLS_BIN"
rm -f "$stamp_file"

export CGO_ENABLED=0
# -mod=readonly: never let a build rewrite the pinned go.mod files.
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

# go_build <module dir> <package> <output name> [extra ldflags]
go_build() {
  local dir="$1" pkg="$2" out="$3" extra="${4:-}"
  local tmp="$TOOLS_BIN/.$out.tmp.$$"
  log "building $out from $pkg (module $dir) ..."
  local start=$SECONDS
  if ! (cd "$dir" && go build -trimpath -ldflags="-s -w $extra" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$TOOLS_BIN/$out"
  log "built $TOOLS_BIN/$out in $((SECONDS - start))s ($(du -h "$TOOLS_BIN/$out" | cut -f1))"
}

# kube-apiserver reports its version from ldflags (upstream's build sets them);
# without them it claims v0.0.0-master, which confuses version-aware clients.
k8s_version="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
k8s_time="$(cd "$here" && go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)"
minor="${k8s_version#v1.}"
minor="${minor%%.*}"
vpkg=k8s.io/component-base/version
k8s_ldflags="-X $vpkg.gitVersion=$k8s_version -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.gitCommit="
[ -n "$k8s_time" ] && k8s_ldflags="$k8s_ldflags -X $vpkg.buildDate=$k8s_time"

etcd_version="$(cd "$here/etcd" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"

log "go: $(go version)"
started=$SECONDS
if ! ((use_assets)); then
  go_build "$here" k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver "$k8s_ldflags"
  # The runbooks' kubectl, at the API server's version (the ArgoCD-down test applies with it).
  go_build "$here" k8s.io/kubernetes/cmd/kubectl kubectl "$k8s_ldflags"
  go_build "$here/etcd" go.etcd.io/etcd/server/v3 etcd \
    "-X go.etcd.io/etcd/api/v3/version.GitSHA=module-$etcd_version"
fi
# The GitOps stack's Deployment -> ReplicaSet -> Pod chain and pod placement, same version and ldflags.
go_build "$here" k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager "$k8s_ldflags"
go_build "$here" k8s.io/kubernetes/cmd/kube-scheduler kube-scheduler "$k8s_ldflags"

echo "$want_stamp" >"$stamp_file"
log "done in $((SECONDS - started))s: ${wanted[*]} ($k8s_version; etcd $etcd_version) in $TOOLS_BIN"
