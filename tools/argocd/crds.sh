#!/usr/bin/env bash
# Prints the absolute path of the folder holding ArgoCD's CustomResourceDefinitions, as released.
#
#   tools/argocd/crds.sh            # -> <GOMODCACHE>/github.com/argoproj/argo-cd/v3@v3.5.1/manifests/crds
#   ARGOCD_CRDS_DIR=/some/crds tools/argocd/crds.sh   # -> /some/crds (an override, checked to hold them)
#
# Default source: the Go module zip of the ArgoCD release that tools/argocd/go.mod requires, fetched by
# `go mod download` from the module proxy (any machine with Go, GitHub's runners included) and checked by
# the go command against the hash committed in tools/argocd/go.sum; the CRDs are its manifests/crds/.
# Fetched once (about 54 MB), then read from the module cache: a warm call takes milliseconds.
# Refuses, changing nothing, when go.sum has no hash for the pinned version: a download is never trusted
# on first use here. Progress and errors go to stderr; stdout is only the path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module=github.com/argoproj/argo-cd/v3
marker=application-crd.yaml

fail() {
  echo "[argocd/crds] $*" >&2
  exit 1
}

if [ -n "${ARGOCD_CRDS_DIR:-}" ]; then
  [ -f "$ARGOCD_CRDS_DIR/$marker" ] ||
    fail "ARGOCD_CRDS_DIR=$ARGOCD_CRDS_DIR holds no $marker: point it at manifests/crds/ of the ArgoCD release, or unset it to use the pinned module ($here/go.mod)"
  (cd "$ARGOCD_CRDS_DIR" && pwd)
  exit 0
fi

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 ||
  fail "go not found: ArgoCD's CRDs come from the Go module $module; install Go (version in $here/go.mod or newer), or set ARGOCD_CRDS_DIR to a copy of manifests/crds/ of the release"

version="$(awk -v m="$module" '($1 == "require" && $2 == m) { print $3 } ($1 == m) { print $2 }' "$here/go.mod" 2>/dev/null || true)"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "$here/go.mod requires no release of $module (found '${version}'): restore it, or re-pin with tools/argocd/update.sh <version>"

# Both hashes must be committed: without them `go mod download` would fetch, trust and write them.
sum_line() { awk -v m="$module" -v v="$1" '$1 == m && $2 == v { print $3 }' "$here/go.sum" 2>/dev/null || true; }
want_sum="$(sum_line "$version")"
if [ -z "$want_sum" ] || [ -z "$(sum_line "$version/go.mod")" ]; then
  fail "$here/go.sum holds no hash for $module $version: run tools/argocd/update.sh $version and commit go.sum"
fi

cache="$(GOWORK=off go env GOMODCACHE)"
[ -d "$cache/$module@$version" ] ||
  echo "[argocd/crds] fetching $module $version into $cache (once; about 54 MB)" >&2

# One field per line in go's JSON; the checksum check is the go command's, against go.sum.
info="$(cd "$here" && GOWORK=off go mod download -json "$module" 2>&1)" || true
field() {
  sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" <<<"$info" | head -n 1 |
    sed 's/\\u003e/>/g; s/\\u003c/</g; s/\\u0026/\&/g'
}
error="$(field Error)"
if [ -n "$error" ] || [ -z "$(field Dir)" ]; then
  hint="set ARGOCD_CRDS_DIR to a copy of manifests/crds/ of ArgoCD $version, or fix the cause above"
  [[ "$info" == *"requires go"* ]] && hint="install a newer Go (GitHub Actions: setup-go with go-version-file: tools/argocd/go.mod)"
  [[ "$info" == *"checksum mismatch"* ]] && hint="the download does not match $here/go.sum: do not edit go.sum by hand; re-pin with tools/argocd/update.sh"
  fail "go mod download $module@$version failed: ${error:-$info}
$hint"
fi
[ "$(field Sum)" = "$want_sum" ] ||
  fail "$module $version hashes to $(field Sum), go.sum says $want_sum: re-pin with tools/argocd/update.sh"

dir="$(field Dir)/manifests/crds"
[ -f "$dir/$marker" ] || fail "$module $version has no manifests/crds/$marker (in $dir)"
echo "$dir"
