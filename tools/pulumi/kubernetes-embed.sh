#!/usr/bin/env bash
# Make the two files the Kubernetes provider's main package embeds and its module zip lacks.
#
#   tools/pulumi/kubernetes-embed.sh <out dir> <version string>
#   # -> <out dir>/schema-embed.json, <out dir>/terraform-mapping-embed.json; prints one
#   #    "sha256 <file> <hex>" line for each of the two inputs and the two outputs
#
# cmd/pulumi-resource-kubernetes/main.go embeds schema-embed.json and terraform-mapping-embed.json.
# Upstream's Makefile writes them with `go generate` (the package's generate.go) before it builds; the
# module zip the Go proxy serves holds generate.go, schema.json and terraform-mapping.json but not the
# generated pair. This runs that same generate.go on a copy of the zip's files, in a scratch module
# whose go.mod/go.sum are tools/pulumi/kubernetes's, so its imports resolve to the pinned, checksummed
# modules (the zip itself is checked against go.sum by the go command).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mod_dir="$here/kubernetes"
module=github.com/pulumi/pulumi-kubernetes/provider/v4
out="${1:?usage: kubernetes-embed.sh <out dir> <version string>}"
version="${2:?usage: kubernetes-embed.sh <out dir> <version string>}"

fail() {
  echo "[pulumi/kubernetes-embed] $*" >&2
  exit 1
}
command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
export GOWORK=off CGO_ENABLED=0

src="$(cd "$mod_dir" && go list -mod=readonly -m -f '{{.Dir}}' "$module")"
if [ -z "$src" ] || [ ! -d "$src" ]; then
  (cd "$mod_dir" && go mod download "$module") >&2 || fail "go mod download $module failed (see above)"
  src="$(cd "$mod_dir" && go list -mod=readonly -m -f '{{.Dir}}' "$module")"
fi
cmd_dir="$src/cmd/pulumi-resource-kubernetes"
for f in generate.go schema.json terraform-mapping.json; do
  [ -f "$cmd_dir/$f" ] || fail "$module has no cmd/pulumi-resource-kubernetes/$f (in $cmd_dir)"
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$mod_dir/go.mod" "$mod_dir/go.sum" "$scratch/"
cp "$cmd_dir/generate.go" "$cmd_dir/schema.json" "$cmd_dir/terraform-mapping.json" "$scratch/"
chmod u+w "$scratch"/*
# generate.go reads and writes ./<file>: run it where the copies are. -mod=readonly: nothing unpinned.
(cd "$scratch" && VERSION="$version" go run -mod=readonly ./generate.go) ||
  fail "running $module's cmd/pulumi-resource-kubernetes/generate.go failed (see above)"

mkdir -p "$out"
for f in schema-embed.json terraform-mapping-embed.json; do
  [ -s "$scratch/$f" ] || fail "generate.go wrote no $f"
  cp "$scratch/$f" "$out/$f"
done
for f in schema.json terraform-mapping.json schema-embed.json terraform-mapping-embed.json; do
  echo "sha256 $f $(sha256sum <"$scratch/$f" | cut -d' ' -f1)"
done
