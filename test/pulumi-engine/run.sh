#!/usr/bin/env bash
# The admin path run by the real Pulumi engine (`npm run test:pulumi`), see docs/pulumi-tests.md.
#
#   test/pulumi-engine/run.sh [jest options...]     # e.g. -t 'adopts' or --ci --json --outputFile=r.json
#
# 1. builds (cached) the Pulumi CLI and the Kubernetes provider plugin from the modules pinned in
#    tools/pulumi/ (tools/pulumi/build.sh), into TOOLS_BIN beside the control plane's binaries;
# 2. starts the cluster suite's control plane (test/cluster/run.sh --exec: etcd + kube-apiserver on free
#    loopback ports, RBAC, Pod Security, ValidatingAdmissionPolicy, the generated audit policy; all state in
#    a temp dir, every process stopped on exit);
# 3. runs the jest suite of test/pulumi-engine/ (one file at a time: they share the API server), which runs
#    `pulumi preview/up/import` on copies of the project with the suite's own language host and the FAKE
#    GitHub provider (support/bin) first on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
export TOOLS_BIN="${TOOLS_BIN:-$repo_root/.tools/bin}"

bash "$repo_root/tools/pulumi/build.sh" >&2
exec bash "$repo_root/test/cluster/run.sh" --exec \
  "$repo_root/node_modules/.bin/jest" -c "$here/jest.config.json" --runInBand "$@"
