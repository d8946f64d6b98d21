#!/usr/bin/env bash
# The main job: set up, then run every scenario against a redis-server the harness starts
# itself (Debian's by default; pass --server BINARY and other `conformance run` options).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
mkdir -p reports
exec build/harness/cli/conformance run scenarios/ -j "$(nproc)" \
  --json reports/conformance.json --junit reports/conformance.xml \
  --transcripts reports/transcripts "$@"
