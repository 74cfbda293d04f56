#!/usr/bin/env bash
# Build ArgoCD (one multi-call binary) from the module pinned in tools/argocd/binary/go.mod, into
# $TOOLS_BIN as `argocd`, plus the names the GitOps stack calls it by (symlinks: it acts by the name it
# is called with) and the two scripts its repo-server runs from PATH.
#
#   tools/argocd/build.sh                       # -> <repo>/.tools/bin/argocd, argocd-repo-server, ...
#   TOOLS_BIN=/some/dir ARGOCD_GITOPS_ENGINE_DIR=<argo-cd checkout>/gitops-engine tools/argocd/build.sh
#
# ArgoCD's go.mod replaces github.com/argoproj/argo-cd/gitops-engine with a folder of its repository that
# the module proxy does not serve: tools/argocd/gitops-engine-dir.sh says where it is ($ARGOCD_GITOPS_ENGINE_DIR,
# ../shared/vendor/argo-cd-<version>/gitops-engine beside the clone, else fetched at the pinned commit; the folder
# of the release tag of https://github.com/argoproj/argo-cd). Its absolute path is added as a replace to
# a temporary copy of the committed go.mod (`go build -modfile`), which stays machine-independent.
#
# Cached: nothing is rebuilt while every output exists and $TOOLS_BIN/.stamp-argocd holds the sha256 of
# binary/go.mod, binary/go.sum, the gitops-engine folder's content and the list of names. Heavy when cold
# (~455 CPU-seconds, ~2.1 GB of memory); seconds with a warm Go build cache. Re-pin: tools/argocd/update.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
stamp_file="$TOOLS_BIN/.stamp-argocd"
module=github.com/argoproj/argo-cd/v3
engine_module=github.com/argoproj/argo-cd/gitops-engine
mod_dir="$here/binary"
# The names the stack (and the follow-up issue) run it as; `argocd` itself is the CLI.
names=(argocd-application-controller argocd-repo-server argocd-server argocd-applicationset-controller argocd-notifications)
# The repo-server runs git-verify-wrapper.sh on every manifest request, even with GPG off.
wrappers=(git-verify-wrapper.sh gpg-wrapper.sh)

log() { echo "[argocd/build] $*"; }
fail() {
  echo "[argocd/build] $*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 ||
  fail "go not found: install Go $(sed -n 's/^go //p' "$mod_dir/go.mod") or newer (GitHub Actions: setup-go with go-version-file: tools/argocd/go.mod), or put it on PATH"

version="$(awk -v m="$module" '$1 == "require" && $2 == m { print $3 }' "$mod_dir/go.mod")"
[ -n "$version" ] || fail "$mod_dir/go.mod requires no $module: regenerate it with tools/argocd/update.sh <version>"
engine_dir="$(bash "$here/gitops-engine-dir.sh" "$version")" || exit 1

# Content, not timestamps: a fresh checkout of the same tag gives the same stamp.
engine_hash="$(cd "$engine_dir" && find . -type f ! -path './.git/*' -print0 | LC_ALL=C sort -z |
  xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
want_stamp="$( (cat "$mod_dir/go.mod" "$mod_dir/go.sum" && echo "$engine_hash ${names[*]} ${wrappers[*]}") |
  sha256sum | cut -d' ' -f1)"

fresh=0
[ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ] && fresh=1
for out in argocd "${names[@]}" "${wrappers[@]}"; do [ -x "$TOOLS_BIN/$out" ] || fresh=0; done
if ((fresh)); then
  log "up to date in $TOOLS_BIN: argocd $version (stamp $want_stamp)"
  exit 0
fi

mkdir -p "$TOOLS_BIN"
rm -f "$stamp_file"
work="$(mktemp -d)"
tmp="$TOOLS_BIN/.argocd.tmp.$$"
trap 'rm -rf "$work" "$tmp"' EXIT

# The committed module files plus the one machine-specific replace; go.sum is read next to -modfile.
cp "$mod_dir/go.mod" "$mod_dir/go.sum" "$work/"
go mod edit -replace="$engine_module=$engine_dir" "$work/go.mod"
export GOWORK=off CGO_ENABLED=0
# -mod=readonly: a build never rewrites go.sum, so nothing unpinned is fetched and trusted.
gocmd() { (cd "$mod_dir" && go "$1" -modfile="$work/go.mod" -mod=readonly "${@:2}"); }

# Downloaded (and checked against go.sum) before the build: the wrappers and VERSION come from its zip.
module_dir="$(gocmd list -m -f '{{.Dir}}' "$module")"
if [ -z "$module_dir" ]; then
  (cd "$mod_dir" && go mod download -modfile="$work/go.mod" "$module") ||
    fail "go mod download $module@$version failed (see above)"
  module_dir="$(gocmd list -m -f '{{.Dir}}' "$module")"
fi
[ -f "$module_dir/VERSION" ] || fail "$module $version has no VERSION file in $module_dir"

# The version fields upstream's Makefile sets (`argocd version` and the API report them).
pkg=$module/common
build_date="$(gocmd list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "$module")"
kubectl_version="$(gocmd list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' k8s.io/client-go)"
ldflags="-s -w -X $pkg.version=$(tr -d '[:space:]' <"$module_dir/VERSION") -X $pkg.gitTag=$version"
ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.kubectlVersion=$kubectl_version"
[ -n "$build_date" ] && ldflags+=" -X $pkg.buildDate=$build_date"

log "building argocd $version from $module/cmd (gitops-engine: $engine_dir); $(go version) ..."
started=$SECONDS
gocmd build -trimpath -ldflags="$ldflags" -o "$tmp" "$module/cmd" ||
  fail "building $module/cmd $version failed (see the go output above)"
mv -f "$tmp" "$TOOLS_BIN/argocd"
log "built $TOOLS_BIN/argocd in $((SECONDS - started))s ($(du -h "$TOOLS_BIN/argocd" | cut -f1))"

for name in "${names[@]}"; do ln -sfn argocd "$TOOLS_BIN/$name"; done
for script in "${wrappers[@]}"; do
  [ -f "$module_dir/hack/$script" ] || fail "$module $version has no hack/$script (in $module_dir)"
  install -m 0755 "$module_dir/hack/$script" "$TOOLS_BIN/$script"
done
echo "$want_stamp" >"$stamp_file"
log "done: argocd $version, ${names[*]} (symlinks) and ${wrappers[*]} in $TOOLS_BIN"
