#!/usr/bin/env bash
# Build every `tool` of tools/go.mod into .tools/bin (or $TOOLS_BIN).
# Cached: a no-op while all binaries exist and the stamp matches go.mod + go.sum.
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${TOOLS_BIN:-$(dirname "$tools_dir")/.tools/bin}"
stamp="$bin/.stamp-tools"
command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
cd "$tools_dir"

# "<package> <module version>" per tool directive.
tools="$(go list -f '{{.ImportPath}} {{.Module.Version}}' tool)"
name() { local p="$1"; [[ $p =~ /v[0-9]+$ ]] && p="${p%/*}"; echo "${p##*/}"; } # last element, minus /vN

# The stamp covers the module files and the project's own Go sources (e.g. exprcheck/).
own_sources="$(find . -path ./cluster -prune -o -name '*.go' -print | sort)"
want="$(cat go.mod go.sum $own_sources | sha256sum | cut -d' ' -f1)"
fresh=0
[[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && fresh=1
while read -r pkg _; do [[ -x "$bin/$(name "$pkg")" ]] || fresh=0; done <<<"$tools"
if ((fresh)); then echo "tools up to date in $bin"; exit 0; fi

mkdir -p "$bin"
rm -f "$stamp"
while read -r pkg ver; do
  # -X main.version: kubeconform prints it for -v; a no-op for tools without it.
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$ver" -o "$bin/$(name "$pkg")" "$pkg"
  echo "built $(name "$pkg") $ver -> $bin/$(name "$pkg")"
done <<<"$tools"
echo "$want" >"$stamp"
