#!/bin/sh
# Runs the RESP decoder benchmark (builds nothing) and prints one summary line.
# Usage: bench/run_resp_bench.sh [path/to/bench_resp] [extra benchmark flags...]
# The binary defaults to $BENCH_RESP or build/bench/bench_resp. Environment knobs of the
# benchmark itself (RESP_BENCH_SERVER, RESP_BENCH_MB, RESP_BENCH_STREAM, RESP_BENCH_SAVE) pass
# through; see bench/resp_decoder_bench.cc.
set -eu
bin=${1:-${BENCH_RESP:-build/bench/bench_resp}}
[ $# -gt 0 ] && shift
if [ ! -x "$bin" ]; then
  echo "run_resp_bench.sh: $bin not found; build the bench_resp target first" >&2
  exit 2
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" --benchmark_format=json --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true "$@" >"$out"
python3 - "$out" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rate = {}
for b in report["benchmarks"]:
    if b.get("aggregate_name", "median") == "median":
        rate[b["run_name"]] = b["bytes_per_second"] / 1e6
ours, tree, hiredis = rate["BM_OursNextArgv"], rate["BM_OursNext"], rate["BM_Hiredis"]
ctx = report["context"]
print(f"stream: {ctx.get('stream_source')}, {int(ctx.get('stream_bytes', 0)) / 1e6:.1f} MB")
print(f"resp decoder: ours {ours:.0f} MB/s, hiredis {hiredis:.0f} MB/s, ratio {ours / hiredis:.2f}")
print(f"resp decoder (Value tree via Next): ours {tree:.0f} MB/s, ratio {tree / hiredis:.2f}")
PY
