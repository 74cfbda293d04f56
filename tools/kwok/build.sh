#!/usr/bin/env bash
# Build kwok (the GitOps stack's simulated nodes and kubelet) from the module pinned in tools/kwok/go.mod.
#
#   tools/kwok/build.sh                       # -> <repo>/.tools/bin/kwok
#   TOOLS_BIN=/some/dir tools/kwok/build.sh
#
# Cached: nothing is rebuilt while $TOOLS_BIN/kwok exists and $TOOLS_BIN/.stamp-kwok holds the sha256
# of tools/kwok/go.mod + go.sum. Re-pin with tools/kwok/update.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"
stamp_file="$TOOLS_BIN/.stamp-kwok"
pkg=sigs.k8s.io/kwok/cmd/kwok

log() { echo "[kwok/build] $*"; }

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || {
  echo "[kwok/build] go not found: install Go $(sed -n 's/^go //p' "$here/go.mod") or newer, or put it on PATH" >&2
  exit 1
}

want_stamp="$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -d' ' -f1)"
if [ -x "$TOOLS_BIN/kwok" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want_stamp" ]; then
  log "up to date in $TOOLS_BIN (stamp $want_stamp)"
  exit 0
fi

mkdir -p "$TOOLS_BIN"
rm -f "$stamp_file"
export GOWORK=off CGO_ENABLED=0
# -mod=readonly: never let a build rewrite the pinned go.mod.
export GOFLAGS="${GOFLAGS:-} -mod=readonly"

version="$(cd "$here" && go list -m -f '{{.Version}}' sigs.k8s.io/kwok)"
# kwok --version prints consts.Version; upstream's release build sets it from the tag, as here.
ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$version"

log "building kwok $version from $pkg; $(go version) ..."
tmp="$TOOLS_BIN/.kwok.tmp.$$"
start=$SECONDS
if ! (cd "$here" && go build -trimpath -ldflags="$ldflags" -o "$tmp" "$pkg"); then
  rm -f "$tmp"
  echo "[kwok/build] building kwok from $pkg failed (see the go output above)" >&2
  exit 1
fi
mv -f "$tmp" "$TOOLS_BIN/kwok"
echo "$want_stamp" >"$stamp_file"
log "built $TOOLS_BIN/kwok in $((SECONDS - start))s ($(du -h "$TOOLS_BIN/kwok" | cut -f1))"
