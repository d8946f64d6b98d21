#!/usr/bin/env bash
# Sets up and runs every test: unit and integration tests (ctest), the same unit tests under
# ASan+UBSan, the parsers' fuzz targets for a short budget, and the pytest suite (which drives
# the CLI and the scenarios end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh --sanitize
jobs=$(nproc)
status=0
echo "== ctest (build/)"
ctest --test-dir build --output-on-failure -j "$jobs" || status=1
echo "== ctest (build-asan/, ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" || status=1
echo "== fuzz targets (tests/fuzz, libFuzzer, a short budget each)"
bash ci/run-fuzz-targets.sh || status=1
echo "== pytest (tests/python)"
# Servers the tests start work in directories under $TMPDIR, which is how leftovers are told
# apart from servers that are none of this run's business.
export TMPDIR="$PWD/build/test-tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
CONFORMANCE_BUILD_DIR="$PWD/build" /usr/bin/python3 -m pytest -q tests/python || status=1
leftover=""
for pid in $(pgrep -x redis-server || true); do
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)  # empty for zombies
  if [[ -n "$cwd" && "$cwd" == "$TMPDIR"* ]]; then leftover+="$pid $cwd"$'\n'; fi
done
if [[ -n "$leftover" ]]; then
  echo "== servers left running after the tests:"; echo "$leftover"; status=1
fi
exit $status
