#!/usr/bin/env bash
# Build the Pulumi CLI and the Kubernetes provider plugin from the Go modules pinned in tools/pulumi/.
#
#   tools/pulumi/build.sh                  # -> <repo>/.tools/bin/{pulumi,pulumi-resource-kubernetes}
#   TOOLS_BIN=/some/dir tools/pulumi/build.sh
#
# - pulumi: github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version of tools/pulumi/cli/go.mod (the
#   version of @pulumi/pulumi in package.json; a test keeps them equal), reporting that version.
# - pulumi-resource-kubernetes: github.com/pulumi/pulumi-kubernetes/provider/v4 at the pseudo-version of
#   tools/pulumi/kubernetes/go.mod, reporting the version string of tools/pulumi/kubernetes/provider.pin
#   (= @pulumi/kubernetes in package.json). Its two embed files are made by kubernetes-embed.sh from the
#   module zip and must have the checksums provider.pin records.
#
# Cached: nothing is rebuilt while both binaries exist and $TOOLS_BIN/.stamp-pulumi holds the sha256 of
# the module files and provider.pin. Heavy when cold (the CLI ~345 CPU-seconds and 1.7 GB of memory,
# the provider ~767 CPU-seconds and 4.1 GB); one binary at a time, seconds with a warm Go build cache.
# Re-pin: tools/pulumi/update.sh. docs/pulumi-tests.md says what is built and why.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
stamp_file="$TOOLS_BIN/.stamp-pulumi"
cli_dir="$here/cli"
k8s_dir="$here/kubernetes"
pin_file="$k8s_dir/provider.pin"
cli_module=github.com/pulumi/pulumi/pkg/v3
k8s_module=github.com/pulumi/pulumi-kubernetes/provider/v4

log() { echo "[pulumi/build] $*"; }
fail() {
  echo "[pulumi/build] $*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 ||
  fail "go not found: install Go $(sed -n 's/^go //p' "$cli_dir/go.mod") or newer, or put it on PATH"

# pin_field <name>: the value after "<name> " in provider.pin.
pin_field() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$pin_file"; }
# pinned_sum <file>: the sha256 provider.pin records for that embed input or output.
pinned_sum() { awk -v f="$1" '$1 == "sha256" && $2 == f { print $3; exit }' "$pin_file"; }

# required <go.mod> <module>: the version it requires of <module> (one-line or in a require block).
required() { awk -v m="$2" '($1 == m || ($1 == "require" && $2 == m)) { print ($1 == m ? $2 : $3); exit }' "$1"; }

[ -f "$pin_file" ] || fail "$pin_file is missing: regenerate it with tools/pulumi/update.sh"
cli_version="$(required "$cli_dir/go.mod" "$cli_module")"
[ -n "$cli_version" ] || fail "$cli_dir/go.mod requires no $cli_module: regenerate it with tools/pulumi/update.sh"
k8s_pseudo="$(required "$k8s_dir/go.mod" "$k8s_module")"
[ -n "$k8s_pseudo" ] || fail "$k8s_dir/go.mod requires no $k8s_module: regenerate it with tools/pulumi/update.sh"
k8s_version="$(pin_field version)"
[ -n "$k8s_version" ] || fail "$pin_file has no 'version' line: regenerate it with tools/pulumi/update.sh"
[ "$(pin_field module)" = "$k8s_module $k8s_pseudo" ] ||
  fail "$pin_file names module '$(pin_field module)' but $k8s_dir/go.mod requires $k8s_module $k8s_pseudo: rerun tools/pulumi/update.sh"

want_stamp="$(cat "$cli_dir/go.mod" "$cli_dir/go.sum" "$k8s_dir/go.mod" "$k8s_dir/go.sum" "$pin_file" |
  sha256sum | cut -d' ' -f1)"
fresh=0
[ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ] && fresh=1
for out in pulumi pulumi-resource-kubernetes; do [ -x "$TOOLS_BIN/$out" ] || fresh=0; done
if ((fresh)); then
  log "up to date in $TOOLS_BIN: pulumi $cli_version, pulumi-resource-kubernetes $k8s_version (stamp $want_stamp)"
  exit 0
fi

mkdir -p "$TOOLS_BIN"
rm -f "$stamp_file"
work="$(mktemp -d)"
trap 'rm -rf "$work" "$TOOLS_BIN"/.pulumi*.tmp.$$' EXIT
export GOWORK=off CGO_ENABLED=0
# -mod=readonly: a build never rewrites go.mod/go.sum, so nothing unpinned is fetched and trusted.
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

# go_build <module dir> <package> <output name> <ldflags> [go build flags...]
go_build() {
  local dir="$1" pkg="$2" out="$3" ldflags="$4" tmp="$TOOLS_BIN/.$3.tmp.$$" start=$SECONDS
  shift 4
  log "building $out from $pkg (module $dir) ..."
  (cd "$dir" && go build -trimpath -ldflags="-s -w $ldflags" "$@" -o "$tmp" "$pkg") ||
    fail "building $out from $pkg failed (see the go output above)"
  mv -f "$tmp" "$TOOLS_BIN/$out"
  log "built $TOOLS_BIN/$out in $((SECONDS - start))s ($(du -h "$TOOLS_BIN/$out" | cut -f1))"
}

log "$(go version)"
started=$SECONDS
# First the provider's embed files, checked against provider.pin: a mismatch stops before anything is
# built. The module cache is read-only (and the go command refuses an overlay into it), so the provider's
# main package is built from a scratch module: a copy of tools/pulumi/kubernetes's go.mod/go.sum plus
# the module's own cmd/pulumi-resource-kubernetes/main.go, copied at build time, next to the two embed
# files. Everything it imports is the pinned module.
sums="$(bash "$here/kubernetes-embed.sh" "$work/embed" "$k8s_version")"
while read -r _ file sum; do
  [ "$sum" = "$(pinned_sum "$file")" ] ||
    fail "$file has sha256 $sum, but $pin_file records '$(pinned_sum "$file")': the module's schema files or generate.go changed; rerun tools/pulumi/update.sh and review the difference"
done <<<"$sums"
main_dir="$(cd "$k8s_dir" && go list -m -f '{{.Dir}}' "$k8s_module")/cmd/pulumi-resource-kubernetes"
[ -f "$main_dir/main.go" ] || fail "$k8s_module $k8s_pseudo has no cmd/pulumi-resource-kubernetes/main.go (in $main_dir)"
scratch="$work/kubernetes"
mkdir -p "$scratch/cmd/pulumi-resource-kubernetes"
cp "$k8s_dir/go.mod" "$k8s_dir/go.sum" "$scratch/"
cp "$main_dir/main.go" "$work/embed/schema-embed.json" "$work/embed/terraform-mapping-embed.json" \
  "$scratch/cmd/pulumi-resource-kubernetes/"

go_build "$cli_dir" "$cli_module/cmd/pulumi" pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version"
go_build "$scratch" ./cmd/pulumi-resource-kubernetes pulumi-resource-kubernetes \
  "-X $k8s_module/pkg/version.Version=$k8s_version"

echo "$want_stamp" >"$stamp_file"
log "done in $((SECONDS - started))s: pulumi $cli_version, pulumi-resource-kubernetes $k8s_version ($k8s_module $k8s_pseudo) in $TOOLS_BIN"
