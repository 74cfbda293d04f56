#!/usr/bin/env bash
# Wall time of the unit group (`npm test`, warm: the Go tools built, jest's transform cache filled by
# a first run that is not counted), N runs (default 3): prints each run, the median, and the ten
# slowest files of the median run with their test counts. Goal: median <= 30 s on 2 cores.
#
#   bash bench/test-speed.sh [runs]        # npm run bench:tests
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bash tools/build.sh >/dev/null
echo "bench: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
npx jest --ci --silent >/dev/null 2>&1 || { echo "bench: npm test fails; fix it first" >&2; exit 1; }
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  npx jest --ci --silent --json --outputFile="$work/run-$i.json" >/dev/null 2>&1 ||
    { echo "bench: run $i failed" >&2; exit 1; }
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "$ms $i" >>"$work/times"
  echo "bench: run $i: $ms ms"
done
read -r median_ms median_run < <(sort -n "$work/times" | sed -n "$(((runs + 1) / 2))p")
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
node -e '
  const [file, ms] = process.argv.slice(1);
  const run = JSON.parse(require("fs").readFileSync(file, "utf8"));
  const root = process.cwd() + "/";
  console.log(`median: ${(ms / 1000).toFixed(1)} s for ${run.numTotalTests} tests in ${run.numTotalTestSuites} files (goal: 30 s)`);
  console.log("ten slowest files (seconds, tests):");
  run.testResults
    .map((r) => [(r.endTime - r.startTime) / 1000, r.assertionResults.length, r.name.replace(root, "")])
    .sort((a, b) => b[0] - a[0]).slice(0, 10)
    .forEach(([s, n, name]) => console.log(`  ${s.toFixed(1).padStart(6)} ${String(n).padStart(5)}  ${name}`));
  process.exit(ms / 1000 <= 30 ? 0 : 1);
' "$work/run-$median_run.json" "$median_ms"
