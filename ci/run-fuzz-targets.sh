#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/, replays each target's
# saved crash inputs (tests/fuzz/regressions/<target>/), then fuzzes each target for a fixed
# budget from a copy of its seed corpus (tests/fuzz/corpus/<target>/), nproc targets at a time.
# Fails when an input crashes a target, hangs it or makes it run out of memory; what libFuzzer
# saved is then in build-fuzz/fuzz-artifacts/<target>/ (see tests/fuzz/README.md).
# Usage: ci/run-fuzz-targets.sh [seconds per target]   (default: $FUZZ_SECONDS, else 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-10}}
jobs=$(nproc)

echo "== building build-fuzz/ (clang, libFuzzer, ASan+UBSan)"
# -O1 (libFuzzer suggests -O1 or -O2) compiles faster; line tables keep reports readable.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DCONFORMANCE_LIBFUZZER=ON >/dev/null
cmake --build build-fuzz -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Bounds for one input: a hang, or memory a parser should never need.
limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t binaries < <(ls build-fuzz/tests/fuzz/fuzz_*)
status=0

echo "== replaying tests/fuzz/regressions/"
for binary in "${binaries[@]}"; do
  name=${binary##*/fuzz_}
  inputs=(tests/fuzz/regressions/"$name"/*)
  [[ -e "${inputs[0]}" ]] || continue
  if "$binary" "${limits[@]}" "${inputs[@]}" >"$work/$name.replay.log" 2>&1; then
    echo "$name: ${#inputs[@]} saved input(s) replayed, none fails"
  else
    echo "$name: a regression input fails again:"; tail -n 40 "$work/$name.replay.log"; status=1
  fi
done

echo "== fuzzing each target for ${seconds}s"
# Fuzzes one target; leaves $work/<name>.failed behind when it found something.
fuzz() {
  local binary=$1 name=${1##*/fuzz_}
  local artifacts=build-fuzz/fuzz-artifacts/$name dict=tests/fuzz/$name.dict
  rm -rf "$artifacts" && mkdir -p "$artifacts" "$work/$name"
  cp tests/fuzz/corpus/"$name"/* "$work/$name/" 2>/dev/null || true
  local options=("${limits[@]}" -max_total_time="$seconds" -artifact_prefix="$artifacts/")
  [[ -f "$dict" ]] && options+=(-dict="$dict")
  "$binary" "${options[@]}" "$work/$name" >"$work/$name.log" 2>&1 || touch "$work/$name.failed"
}
for binary in "${binaries[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz "$binary" &
done
wait
for binary in "${binaries[@]}"; do
  name=${binary##*/fuzz_}
  if [[ -e "$work/$name.failed" ]]; then
    echo "$name: FAILED (input saved in build-fuzz/fuzz-artifacts/$name/):"
    grep -v -E '^#[0-9]+' "$work/$name.log" | tail -n 60
    status=1
  else
    echo "$name: $(grep -E '^Done [0-9]+ runs' "$work/$name.log" || echo "no summary"), no crash"
  fi
done
exit $status
