#!/usr/bin/env bash
# Synth's wall time, side by side in one run: `npm run synth` of today's catalog, and the same work
# (bench/synth-at-scale.ts: build, policy, render, atomic write) for catalogs of services x environments,
# up to 10 x 3 and beyond. Median of N rounds (default 7); each round runs every case once, in turn, so
# that a busy moment slows all of them. Goal: 10 services x 3 environments under 2 s on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
goal_ms=2000
cases=("1 1" "5 3" "10 3" "20 3")
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# The scale script runs from a bundle, as `npm run synth` does (bin/run-bundled.mjs), so both pay the same start-up.
at_scale=(node bin/run-bundled.mjs bench/synth-at-scale.ts)

ms_of() { # runs the command, prints its wall time in ms
  local start
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  echo $((($(date +%s%N) - start) / 1000000))
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

declare -A times
npm run -s synth >/dev/null 2>&1 # warm the file cache and tsx's transform cache
# shellcheck disable=SC2086 # "<services> <environments>": two arguments
for c in "${cases[@]}"; do "${at_scale[@]}" $c "$scratch" >/dev/null 2>&1; done
for _ in $(seq "$runs"); do
  times[npm]+="$(ms_of npm run -s synth) "
  for c in "${cases[@]}"; do
    # shellcheck disable=SC2086 # "<services> <environments>": two arguments
    times[$c]+="$(ms_of "${at_scale[@]}" $c "$scratch") "
  done
done

# shellcheck disable=SC2086 # the lists are space-separated numbers
today=$(median ${times[npm]})
echo "npm run synth (today: 1 service x 1 environment): median ${today} ms over ${runs} runs"
declare -A medians
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086
  medians[$c]=$(median ${times[$c]})
  read -r s e <<<"$c"
  echo "synth of ${s} services x ${e} environments ($((s * e)) service-environments): median ${medians[$c]} ms"
done
first="${cases[0]}" last="${cases[-1]}"
read -r s1 e1 <<<"$first"
read -r s2 e2 <<<"$last"
per=$(((medians[$last] - medians[$first]) * 1000 / (s2 * e2 - s1 * e1)))
echo "growth: about ${per} us per service-environment beyond the first (fixed start-up: ${medians[$first]} ms)"
echo "goal: 10 x 3 under ${goal_ms} ms: ${medians["10 3"]} ms"
((medians["10 3"] < goal_ms))
