#!/usr/bin/env bash
# Build every `tool` of tools/go.mod into .tools/bin (or $TOOLS_BIN).
# Cached: a no-op while all binaries exist and the stamp matches go.mod + go.sum.
# A first build takes minutes (module downloads, then compiling kustomize & co.): it says what it is
# doing and how long each step took, in the style of tools/cluster/build.sh.
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${TOOLS_BIN:-$(dirname "$tools_dir")/.tools/bin}"
stamp="$bin/.stamp-tools"

log() { echo "[tools/build] $*"; }

command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
if ! command -v go >/dev/null; then
  echo "[tools/build] go not found: install Go $(sed -n 's/^go //p' "$tools_dir/go.mod") or newer, or put it on PATH" >&2
  exit 1
fi
cd "$tools_dir"

# "<package> <module version>" per tool directive. The first run downloads the modules here.
started=$SECONDS
tools="$(go list -f '{{.ImportPath}} {{.Module.Version}}' tool)"
name() { local p="$1"; [[ $p =~ /v[0-9]+$ ]] && p="${p%/*}"; echo "${p##*/}"; } # last element, minus /vN

# The stamp covers the module files and the project's own Go sources (e.g. exprcheck/).
own_sources="$(find . -path ./cluster -prune -o -name '*.go' -print | sort)"
want="$(cat go.mod go.sum $own_sources | sha256sum | cut -d' ' -f1)"
fresh=0
[[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && fresh=1
while read -r pkg _; do [[ -x "$bin/$(name "$pkg")" ]] || fresh=0; done <<<"$tools"
if ((fresh)); then log "tools up to date in $bin"; exit 0; fi

count="$(wc -l <<<"$tools")"
log "resolved $count tools of tools/go.mod in $((SECONDS - started))s; $(go version)"
mkdir -p "$bin"
rm -f "$stamp"
i=0
while read -r pkg ver; do
  i=$((i + 1))
  out="$(name "$pkg")"
  # Built beside the target and renamed: an interrupted build never leaves a truncated binary.
  tmp="$bin/.$out.tmp.$$"
  log "[$i/$count] building $out ${ver:-(this module)} from $pkg ..."
  start=$SECONDS
  # -X main.version: kubeconform prints it for -v; a no-op for tools without it.
  if ! CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$ver" -o "$tmp" "$pkg"; then
    rm -f "$tmp"
    echo "[tools/build] building $out from $pkg failed" >&2
    exit 1
  fi
  mv -f "$tmp" "$bin/$out"
  log "[$i/$count] built $bin/$out in $((SECONDS - start))s ($(du -h "$bin/$out" | cut -f1))"
done <<<"$tools"
echo "$want" >"$stamp"
log "done: $count tools in $bin in $((SECONDS - started))s"
