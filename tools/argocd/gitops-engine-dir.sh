#!/usr/bin/env bash
# Prints the absolute path of the gitops-engine module that ArgoCD's go.mod replaces with a local folder.
#
#   tools/argocd/gitops-engine-dir.sh [VERSION]      # VERSION: the ArgoCD release, default: the pin
#   ARGOCD_GITOPS_ENGINE_DIR=/some/gitops-engine tools/argocd/gitops-engine-dir.sh
#
# ArgoCD v3's go.mod says `replace github.com/argoproj/argo-cd/gitops-engine => ./gitops-engine`, a nested
# module of its own repository that the Go module proxy does not serve (403), so no module zip has it.
# It is the gitops-engine/ folder of the argo-cd repository at the release's tag
# (https://github.com/argoproj/argo-cd, tag vX.Y.Z). Where it is taken from, in order:
#   1. $ARGOCD_GITOPS_ENGINE_DIR;
#   2. ../shared/vendor/argo-cd-<VERSION>/gitops-engine beside the clone (an offline copy, where one exists);
#   3. otherwise (GitHub's runners, a laptop) fetched once from GitHub at the commit pinned in
#      tools/argocd/gitops-engine.commit (git checks the commit id), into the tools cache.
# Progress and errors go to stderr; stdout is only the path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
module=github.com/argoproj/argo-cd/gitops-engine

version="${1:-$(awk '$1 == "require" && $2 == "github.com/argoproj/argo-cd/v3" { print $3 }' "$here/go.mod")}"
default_dir="$(cd "$repo_root/.." && pwd)/shared/vendor/argo-cd-$version/gitops-engine"

how="set ARGOCD_GITOPS_ENGINE_DIR to the gitops-engine/ folder of tag $version of https://github.com/argoproj/argo-cd (git clone --depth 1 --branch $version https://github.com/argoproj/argo-cd, then its gitops-engine/), or put it at $default_dir"

# fetch_pinned: the gitops-engine/ folder at the pinned commit of the tag, fetched once into the cache.
fetch_pinned() {
  local pinned commit cache
  # update.sh passes the commit of the tag it is moving to; otherwise the committed pin.
  read -r pinned commit < <(grep -v '^#' "${GITOPS_ENGINE_COMMIT_FILE:-$here/gitops-engine.commit}")
  [ "$pinned" = "$version" ] || {
    echo "[argocd/gitops-engine] tools/argocd/gitops-engine.commit pins $pinned, but ArgoCD is $version: put the commit of tag $version there" >&2
    return 1
  }
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/prod-gitops/src/argo-cd-$commit"
  if [ ! -f "$cache/gitops-engine/go.mod" ]; then
    echo "[argocd/gitops-engine] fetching gitops-engine/ of argoproj/argo-cd $version ($commit) into $cache" >&2
    # Called under `||`, where set -e does not apply: every step says whether it worked.
    rm -rf "$cache.tmp"
    git init -q "$cache.tmp" &&
      git -C "$cache.tmp" fetch -q --depth 1 https://github.com/argoproj/argo-cd "$commit" &&
      [ "$(git -C "$cache.tmp" rev-parse FETCH_HEAD)" = "$commit" ] &&
      git -C "$cache.tmp" checkout -q FETCH_HEAD -- gitops-engine || {
      rm -rf "$cache.tmp"
      return 1
    }
    rm -rf "$cache"
    mv "$cache.tmp" "$cache"
  fi
  echo "$cache/gitops-engine"
}

if [ -n "${ARGOCD_GITOPS_ENGINE_DIR:-}" ]; then
  dir="$ARGOCD_GITOPS_ENGINE_DIR"
elif [ -d "$default_dir" ]; then
  dir="$default_dir"
else
  dir="$(fetch_pinned)" || {
    echo "[argocd/gitops-engine] could not fetch the pinned gitops-engine: $how" >&2
    exit 1
  }
fi
if [ -n "${ARGOCD_GITOPS_ENGINE_DIR:-}" ]; then where="ARGOCD_GITOPS_ENGINE_DIR=$dir"; else where="$dir (ARGOCD_GITOPS_ENGINE_DIR unset)"; fi

[ -d "$dir" ] || {
  echo "[argocd/gitops-engine] $where does not exist: ArgoCD $version builds only with its gitops-engine module; $how" >&2
  exit 1
}
[ "$(awk '$1 == "module" { print $2; exit }' "$dir/go.mod" 2>/dev/null)" = "$module" ] || {
  echo "[argocd/gitops-engine] $where has no go.mod of module $module: $how" >&2
  exit 1
}
(cd "$dir" && pwd)
