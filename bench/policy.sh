#!/usr/bin/env bash
# `npm run policy` and kubeconform side by side, on two shapes of generated tree (bench/generate-manifests.ts)
# of 1,000 and 10,000 files each:
#   services  a repository of services: rendered overlays, team/<team>/<service>/<env>/*.yaml (Deployments,
#             CronJobs, Services, Ingresses, ConfigMaps, NetworkPolicies, autoscalers), one object in
#             thirty with a mistake;
#   platform  copies of what `npm run synth` writes here: mostly RBAC and ArgoCD objects, all clean.
#
# kubeconform runs as its users run it: `-strict -summary`, the Kubernetes schemas in the layout of
# yannh/kubernetes-json-schema's <version>-standalone-strict folders (`{{ .ResourceKind }}{{ .KindSuffix }}.json`)
# and the CRDs in datreeio/CRDs-catalog's (`{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`),
# both written offline from the sources the policy reads (bench/kubeconform-schemas.ts). Its number of
# workers is left at its default (-n 4): few users set it, and on 2 cores more goroutines than cores
# gain little, while fewer would only slow it down. The policy runs with its own defaults too.
#
# Each round runs every case once, policy then kubeconform, so that a change of the machine's load hits
# both tools of a case alike; the table gives the median of N rounds (default 5), the load average is
# printed before, after every round and at the end. Goal: ratio policy/kubeconform <= 1.0 at 10,000
# files on both trees; the exit status is 1 when a 10,000-file ratio is above.
#
#   bash bench/policy.sh [runs]        # npm run bench:policy
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
sizes=(1000 10000)
shapes=(services platform)
tools_bin="${TOOLS_BIN:-$PWD/.tools/bin}"
kubeconform="$tools_bin/kubeconform"
[ -x "$kubeconform" ] || { echo "bench: no kubeconform in $tools_bin: run npm run tools" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cases=()
for shape in "${shapes[@]}"; do
  for size in "${sizes[@]}"; do
    npx tsx bench/generate-manifests.ts "$work/$shape-$size" "$size" "$shape"
    cases+=("$shape-$size")
  done
done
# The largest tree of each shape holds every kind of the smaller one (it begins with it).
mapfile -t locations < <(npx tsx bench/kubeconform-schemas.ts "$work/schemas" "$work"/*-"${sizes[-1]}")
((${#locations[@]} == 2)) || { echo "bench: bench/kubeconform-schemas.ts failed" >&2; exit 1; }
# Exactly what `npm run policy` executes (package.json), without npm's own start-up around it.
read -ra policy_command <<<"$(node -p "require('./package.json').scripts.policy")"
kubeconform_command=("$kubeconform" -strict -summary -schema-location "${locations[0]}" -schema-location "${locations[1]}")

# Wall time in ms of one run of "$@"; fails if the command fails (exit 1, findings, is not a failure).
time_ms() {
  local start status=0
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || status=$?
  ((status <= 1)) || { echo "bench: failed ($status): $*" >&2; return 1; }
  echo $((($(date +%s%N) - start) / 1000000))
}
median() { tr ' ' '\n' | grep . | sort -n | sed -n "$(((runs + 1) / 2))p"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "bench: $(nproc) cores, load average before: $(load)"
echo "bench: policy is: ${policy_command[*]} <tree>"
echo "bench: kubeconform is: ${kubeconform_command[*]} <tree>"
# Warm-up (file cache, the policy's bundle and code cache), and what each tool found, as a check that
# both read every file and found a schema for every kind they should.
for case in "${cases[@]}"; do
  policy_says=$("${policy_command[@]}" "$work/$case" 2>&1 | tail -1) || true
  kubeconform_says=$("${kubeconform_command[@]}" "$work/$case" 2>&1 | tail -1) || true
  echo "bench: $case: ${policy_says#policy: }; kubeconform: ${kubeconform_says#Summary: }"
done

declare -A policy_times kubeconform_times
for round in $(seq "$runs"); do
  for case in "${cases[@]}"; do
    policy_times[$case]+="$(time_ms "${policy_command[@]}" "$work/$case") "
    kubeconform_times[$case]+="$(time_ms "${kubeconform_command[@]}" "$work/$case") "
  done
  echo "bench: round $round/$runs done, load average $(load)"
done

printf '%-9s %7s %12s %17s %6s\n' tree files 'policy (ms)' 'kubeconform (ms)' ratio
status=0
for case in "${cases[@]}"; do
  policy_ms=$(median <<<"${policy_times[$case]}")
  kubeconform_ms=$(median <<<"${kubeconform_times[$case]}")
  ratio=$(awk -v a="$policy_ms" -v b="$kubeconform_ms" 'BEGIN { printf "%.2f", a / b }')
  printf '%-9s %7s %12s %17s %6s\n' "${case%-*}" "${case##*-}" "$policy_ms" "$kubeconform_ms" "$ratio"
  if [ "${case##*-}" = "${sizes[-1]}" ] && ! awk -v r="$ratio" 'BEGIN { exit !(r <= 1.0) }'; then status=1; fi
done
echo "bench: load average after: $(load); goal: ratio <= 1.0 at ${sizes[-1]} files on every tree"
exit "$status"
