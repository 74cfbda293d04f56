#!/usr/bin/env bash
# Build Sealed Secrets (the controller that turns SealedSecrets into Secrets, and its client kubeseal)
# from the module pinned in tools/sealed-secrets/go.mod.
#
#   tools/sealed-secrets/build.sh                       # -> <repo>/.tools/bin/{sealed-secrets-controller,kubeseal}
#   TOOLS_BIN=/some/dir tools/sealed-secrets/build.sh
#
# Outside a pod. The controller finds its API server only through the pod's service-account files
# (`rest.InClusterConfig()` in pkg/controller/main.go: no flag, no variable, fixed paths under
# /var/run/secrets). The test stacks run it as a process, so the controller built here gets one change,
# made at build time in a copy of the module (the module cache, checked against go.sum, is never
# edited; the copy is used through a `replace` in a temporary copy of go.mod, as tools/argocd/build.sh
# does): that call becomes `restConfig(rest.InClusterConfig)`, which reads $KUBECONFIG when it is set
# and calls InClusterConfig otherwise. Nothing else differs; its version says so (`v0.40.0+kubeconfig`). kubeseal is built
# unchanged, from the module cache. Production runs upstream's image (infra/cluster/manifests/sealed-secrets/).
#
# Cached: nothing is rebuilt while both binaries exist and $TOOLS_BIN/.stamp-sealed-secrets holds the
# sha256 of tools/sealed-secrets/go.mod + go.sum and of this script (the change above is in it).
# Re-pin with tools/sealed-secrets/update.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
stamp_file="$TOOLS_BIN/.stamp-sealed-secrets"
# The package of each binary, below the module, and the name it gets in $TOOLS_BIN.
binaries=("cmd/controller sealed-secrets-controller" "cmd/kubeseal kubeseal")

log() { echo "[sealed-secrets/build] $*"; }
fail() {
  echo "[sealed-secrets/build] $*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 ||
  fail "go not found: install Go $(sed -n 's/^go //p' "$here/go.mod") or newer, or put it on PATH"

want_stamp="$(cat "$here/go.mod" "$here/go.sum" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"
fresh=0
[ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ] && fresh=1
for entry in "${binaries[@]}"; do [ -x "$TOOLS_BIN/${entry#* }" ] || fresh=0; done
if ((fresh)); then
  log "up to date in $TOOLS_BIN (stamp $want_stamp)"
  exit 0
fi

mkdir -p "$TOOLS_BIN"
rm -f "$stamp_file"
# As tools/cluster/build.sh builds: -trimpath, CGO off, no workspace.
export GOWORK=off CGO_ENABLED=0
# -mod=readonly: never let a build rewrite the pinned go.mod.
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

# The module renamed itself: v0.36.0 and older declare github.com/bitnami-labs/sealed-secrets, v0.40.0
# github.com/bitnami/sealed-secrets. The one go.mod requires is built.
module="$(awk '$1 ~ /^github\.com\/bitnami(-labs)?\/sealed-secrets$/ && $2 ~ /^v/ { print $1; exit }' "$here/go.mod")"
[ -n "$module" ] || fail "$here/go.mod requires no sealed-secrets module: regenerate it with tools/sealed-secrets/update.sh <version>"
version="$(cd "$here" && go list -m -f '{{.Version}}' "$module")" ||
  fail "go list -m $module failed (see above): is the module proxy reachable?"

# The copy: the module as downloaded, pkg/controller/main.go with its one InClusterConfig call renamed,
# and a file of ours beside it. Refuses when the call is not there exactly once (a new release moved it).
(cd "$here" && go mod download "$module") || fail "go mod download $module $version failed (see above)"
module_dir="$(cd "$here" && go list -m -f '{{.Dir}}' "$module")"
[ "$(grep -c 'rest\.InClusterConfig()' "$module_dir/pkg/controller/main.go")" = 1 ] ||
  fail "$module_dir/pkg/controller/main.go does not call rest.InClusterConfig() exactly once: the outside-a-pod change no longer fits $version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R "$module_dir" "$work/module"
chmod -R u+w "$work/module"
sed -i 's/rest\.InClusterConfig()/restConfig(rest.InClusterConfig)/' "$work/module/pkg/controller/main.go"
cat >"$work/module/pkg/controller/zz_rest_config.go" <<'GO'
package controller

// Added by tools/sealed-secrets/build.sh for the test stacks, which run the controller as a process.

import (
	"os"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// restConfig is the API server of $KUBECONFIG when that is set, else the pod's (inCluster).
func restConfig(inCluster func() (*rest.Config, error)) (*rest.Config, error) {
	if path := os.Getenv("KUBECONFIG"); path != "" {
		return clientcmd.BuildConfigFromFlags("", path)
	}
	return inCluster()
}
GO
cp "$here/go.mod" "$here/go.sum" "$work/"
go mod edit -replace="$module=$work/module" "$work/go.mod"

# `controller --version` and `kubeseal --version` print main.VERSION, which upstream's Makefile sets
# to the release tag (with `+dirty` for a changed tree; here, the change's name).
log "building $module $version; $(go version) ..."
started=$SECONDS
for entry in "${binaries[@]}"; do
  pkg="$module/${entry% *}" out="${entry#* }"
  tmp="$TOOLS_BIN/.$out.tmp.$$"
  if [ "$out" = sealed-secrets-controller ]; then
    flags=(-modfile="$work/go.mod" -ldflags="-s -w -X main.VERSION=$version+kubeconfig")
  else
    flags=(-ldflags="-s -w -X main.VERSION=$version")
  fi
  start=$SECONDS
  if ! (cd "$here" && go build -trimpath "${flags[@]}" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    fail "building $out from $pkg failed (see the go output above)"
  fi
  mv -f "$tmp" "$TOOLS_BIN/$out"
  log "built $TOOLS_BIN/$out in $((SECONDS - start))s ($(du -h "$TOOLS_BIN/$out" | cut -f1))"
done
echo "$want_stamp" >"$stamp_file"
log "done in $((SECONDS - started))s: sealed-secrets-controller and kubeseal $version in $TOOLS_BIN"
