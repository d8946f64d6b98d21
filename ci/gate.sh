#!/usr/bin/env bash
# The CI gate a server project calls with its freshly built binary:
#
#   ci/gate.sh SERVER_BINARY [PROFILE] [-- extra `conformance run` options]
#
# PROFILE is a file, or a name under ci/profiles/ (redis-7.0, valkey-8, keydb-6.3, dragonfly).
# Builds the harness if needed (into $CONFORMANCE_BUILD_DIR, default build/), runs every
# scenario ($CONFORMANCE_SCENARIOS, default scenarios/) against the binary with the profile,
# and writes $CONFORMANCE_REPORTS (default reports/): conformance.xml (JUnit),
# conformance.json and transcripts/. Exits with the run's exit code: 0 all good, 1 a
# conformance failure or XPASS (an expected failure that now passes: update the profile),
# 2 inconclusive, 3 infrastructure error, 64 bad usage, profile or scenario file.
#
# With CONFORMANCE_FUZZ_SECONDS=N (0 or unset: no fuzzing) the gate then fuzzes the binary as a
# replica for N seconds (conformance fuzz, seed $CONFORMANCE_FUZZ_SEED, default 1) and writes
# fuzz.json and fuzz-findings/ (one replayable scenario per failure) to the reports; a failure
# there fails the gate too.
set -euo pipefail

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 64
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -ge 1 && $1 != -* ]] || usage
binary=$1
shift
profile=""
if [[ $# -gt 0 && $1 != "--" ]]; then
  profile=$1
  shift
fi
if [[ $# -gt 0 ]]; then
  [[ $1 == "--" ]] || usage
  shift
fi

# Paths as the caller meant them, before anything else runs.
if [[ $binary == */* ]]; then
  [[ -x $binary ]] || { echo "gate: no executable server binary $binary" >&2; exit 3; }
  binary=$(realpath -s "$binary")  # -s: a multi-call binary's name matters (redis-server -> redis-check-rdb)
fi
if [[ -n $profile && ! -f $profile && -f $root/ci/profiles/$profile.yaml ]]; then
  profile=$root/ci/profiles/$profile.yaml
fi
if [[ -n $profile ]]; then
  [[ -f $profile ]] || { echo "gate: no profile $profile" >&2; exit 64; }
  profile=$(realpath "$profile")
fi

build=${CONFORMANCE_BUILD_DIR:-$root/build}
reports=${CONFORMANCE_REPORTS:-$root/reports}
read -r -a scenarios <<<"${CONFORMANCE_SCENARIOS:-$root/scenarios}"

# Build only the CLI; a fresh machine first gets its Debian packages from ci/setup.sh.
if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  bash "$root/ci/setup.sh"
fi
if [[ ! -f $build/build.ninja ]]; then
  echo "== configuring $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPython3_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 >/dev/null ||
    { echo "gate: cannot configure the harness; run ci/setup.sh (as root) for its packages" >&2; exit 3; }
fi
cmake --build "$build" --target conformance ||
  { echo "gate: cannot build the harness (cmake --build $build --target conformance)" >&2; exit 3; }

rm -rf "$reports/transcripts"
mkdir -p "$reports"
args=(run "${scenarios[@]}" --server "$binary" -j "$(nproc)"
      --json "$reports/conformance.json" --junit "$reports/conformance.xml"
      --transcripts "$reports/transcripts")
[[ -z $profile ]] || args+=(--profile "$profile")

status=0
"$build/harness/cli/conformance" "${args[@]}" "$@" || status=$?
fuzz_seconds=${CONFORMANCE_FUZZ_SECONDS:-0}
if [[ $fuzz_seconds != 0 ]]; then
  fuzz=(fuzz --server "$binary" --seconds "$fuzz_seconds" -j "$(nproc)"
        --seed "${CONFORMANCE_FUZZ_SEED:-1}" --corpus "$reports/fuzz-findings" --json "$reports/fuzz.json")
  [[ -z $profile ]] || fuzz+=(--profile "$profile")
  fuzz_status=0
  "$build/harness/cli/conformance" "${fuzz[@]}" || fuzz_status=$?
  (( fuzz_status > status )) && status=$fuzz_status
fi
echo "gate: exit code $status; reports in $reports (conformance.xml, conformance.json, transcripts/)"
exit $status
