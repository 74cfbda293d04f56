#!/usr/bin/env bash
# A release never breaks main: on a temporary clone of HEAD, release every catalog image to a new
# sha- tag exactly as the release workflow does (npm run release), commit the result, then run there the
# unit group (npm test: every snapshot and in-process assertion), the process group's tests of charts/
# (the released overlays rendered by kustomize, the rollback and the workloads following the pin) and
# the drift check. A snapshot or test that records a pin fails here; a pin written into any other test
# file fails test/charts/images.no-recorded-pin.test.ts in both places, so the rest of the process group
# (commands, git round trips, tools) is not run twice. Run by .ci/run; exit 0 only if all green.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
clone="$(mktemp -d "${TMPDIR:-/tmp}/release-clone.XXXXXX")"
trap 'rm -rf "$clone"' EXIT
# The clone reuses the Go tools already built for this checkout instead of building its own.
export TOOLS_BIN="${TOOLS_BIN:-$repo/.tools/bin}"

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=release-check GIT_AUTHOR_EMAIL=release-check@localhost
export GIT_COMMITTER_NAME=release-check GIT_COMMITTER_EMAIL=release-check@localhost

git clone --quiet "$repo" "$clone"
ln -s "$repo/node_modules" "$clone/node_modules"
cd "$clone"

# image<TAB>current tag, one line per pin.
pins="$(node -e 'for (const [n, t] of Object.entries(require("./charts/image-pins.json"))) console.log(`${n}\t${t}`)')"
while IFS=$'\t' read -r image current; do
  # A new tag of CI's shape, derived from the current one so it always differs.
  tag="sha-$(printf '%s' "$current" | sha1sum | cut -c1-7)"
  echo "release-check: npm run release -- $image $tag (was $current)"
  npm run --silent release -- "$image" "$tag" >/dev/null
done <<<"$pins"
git add --all -- charts/image-pins.json infra/
git commit --quiet --message "release-check: new pins for every image"
git show --stat --format='release-check: committed %h' HEAD | head -20

echo "release-check: the unit group and the process group's tests of charts/ on the released commit"
npm test -- --ci --silent
npm run test:e2e -- --ci --silent test/charts/
echo "release-check: drift check on the released commit"
npm run --silent synth -- --check
echo "release-check: green after a release"
