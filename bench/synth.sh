#!/usr/bin/env bash
# Median wall time of `npm run synth` over N runs (default 11). Goal: under 2 s on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
goal_ms=2000

npm run -s synth >/dev/null 2>&1 # warm the file cache and tsx's transform cache
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  npm run -s synth >/dev/null 2>&1
  times+=($((($(date +%s%N) - start) / 1000000)))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
echo "npm run synth: median ${median} ms over ${runs} runs (min $(printf '%s\n' "${times[@]}" | sort -n | head -1) ms, goal < ${goal_ms} ms)"
((median < goal_ms))
