#!/usr/bin/env bash
# Prints the absolute path of the gitops-engine module that ArgoCD's go.mod replaces with a local folder.
#
#   tools/argocd/gitops-engine-dir.sh [VERSION]      # VERSION: the ArgoCD release, default: the pin
#   ARGOCD_GITOPS_ENGINE_DIR=/some/gitops-engine tools/argocd/gitops-engine-dir.sh
#
# ArgoCD v3's go.mod says `replace github.com/argoproj/argo-cd/gitops-engine => ./gitops-engine`, a nested
# module of its own repository that the Go module proxy does not serve (403), so no module zip has it.
# It is the gitops-engine/ folder of the argo-cd repository at the release's tag
# (https://github.com/argoproj/argo-cd, tag vX.Y.Z). Default: ../shared/vendor/argo-cd-<VERSION>/gitops-engine
# beside the clone (this machine's offline copy, /work/shared/vendor/README.md); elsewhere (GitHub's
# runners) check out the tag and point ARGOCD_GITOPS_ENGINE_DIR at its gitops-engine/ folder.
# Progress and errors go to stderr; stdout is only the path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
module=github.com/argoproj/argo-cd/gitops-engine

version="${1:-$(awk '$1 == "require" && $2 == "github.com/argoproj/argo-cd/v3" { print $3 }' "$here/go.mod")}"
default_dir="$(cd "$repo_root/.." && pwd)/shared/vendor/argo-cd-$version/gitops-engine"
dir="${ARGOCD_GITOPS_ENGINE_DIR:-$default_dir}"
how="set ARGOCD_GITOPS_ENGINE_DIR to the gitops-engine/ folder of tag $version of https://github.com/argoproj/argo-cd (git clone --depth 1 --branch $version https://github.com/argoproj/argo-cd, then its gitops-engine/), or put it at $default_dir"
if [ -n "${ARGOCD_GITOPS_ENGINE_DIR:-}" ]; then where="ARGOCD_GITOPS_ENGINE_DIR=$dir"; else where="the default $dir (ARGOCD_GITOPS_ENGINE_DIR unset)"; fi

[ -d "$dir" ] || {
  echo "[argocd/gitops-engine] $where does not exist: ArgoCD $version builds only with its gitops-engine module; $how" >&2
  exit 1
}
[ "$(awk '$1 == "module" { print $2; exit }' "$dir/go.mod" 2>/dev/null)" = "$module" ] || {
  echo "[argocd/gitops-engine] $where has no go.mod of module $module: $how" >&2
  exit 1
}
(cd "$dir" && pwd)
