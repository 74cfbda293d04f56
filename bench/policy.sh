#!/usr/bin/env bash
# `npm run policy` and `kubeconform -strict` side by side, on the same generated trees of 1,000 and
# 10,000 manifests, with the same offline schemas (the pinned Kubernetes OpenAPI and ArgoCD CRDs, see
# lib/policy/api-schema-source.ts). Prints each tool's median wall time over N runs (default 5), the
# ratio policy/kubeconform, and the machine's load (runs of the two alternate). Goal: ratio <= 1.0 at 10,000 objects, linear growth.
#
#   bash bench/policy.sh [runs]        # npm run bench:policy
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
sizes=(1000 10000)
tools_bin="${TOOLS_BIN:-$PWD/.tools/bin}"
kubeconform="$tools_bin/kubeconform"
[ -x "$kubeconform" ] || { echo "bench: no kubeconform in $tools_bin: run npm run tools" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for size in "${sizes[@]}"; do
  npx tsx bench/generate-manifests.ts "$work/tree-$size" "$size"
done
# kubeconform needs its schemas as files: written from the same OpenAPI and CRDs the policy reads.
find "$work/tree-${sizes[0]}" -name '*.yaml' -print0 | xargs -0 npx tsx bench/kubeconform-schemas.ts "$work/schemas"
# Exactly what `npm run policy` executes (package.json), without npm's own start-up around it.
read -ra policy_command <<<"$(node -p "require('./package.json').scripts.policy")"
location="$work/schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

# Wall time in ms of one run of "$@"; fails if the command fails (exit 1, violations, is not a failure).
time_ms() {
  local start status=0
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || status=$?
  ((status <= 1)) || { echo "bench: failed ($status): $*" >&2; return 1; }
  echo $((($(date +%s%N) - start) / 1000000))
}
median() { sort -n | sed -n "$(((runs + 1) / 2))p"; }

echo "bench: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: policy is: ${policy_command[*]} <tree>"
printf '%-8s %14s %18s %7s\n' objects 'policy (ms)' 'kubeconform (ms)' ratio
ratio_at_largest=""
for size in "${sizes[@]}"; do
  tree="$work/tree-$size"
  # Warm-up, then the two tools in turn, run after run: a change of the machine's load hits both alike.
  time_ms "${policy_command[@]}" "$tree" >/dev/null
  time_ms "$kubeconform" -strict -summary -schema-location "$location" "$tree" >/dev/null
  policy_times=() kubeconform_times=()
  for _ in $(seq "$runs"); do
    policy_times+=("$(time_ms "${policy_command[@]}" "$tree")")
    kubeconform_times+=("$(time_ms "$kubeconform" -strict -summary -schema-location "$location" "$tree")")
  done
  policy_ms=$(printf '%s\n' "${policy_times[@]}" | median)
  kubeconform_ms=$(printf '%s\n' "${kubeconform_times[@]}" | median)
  ratio=$(awk -v a="$policy_ms" -v b="$kubeconform_ms" 'BEGIN { printf "%.2f", a / b }')
  printf '%-8s %14s %18s %7s\n' "$size" "$policy_ms" "$kubeconform_ms" "$ratio"
  ratio_at_largest="$ratio"
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg); goal: ratio <= 1.0 at ${sizes[-1]}"
awk -v r="$ratio_at_largest" 'BEGIN { exit !(r <= 1.0) }'
