#!/bin/sh
# Runs the keyspace benchmark (builds nothing) and prints one line per figure, each a ratio
# against the real peer measured in the same run (issue 4 "Benchmarks"): full-sync ingest (fake
# replica vs a redis-server replica vs redis-cli --rdb), RDB parsing (ours vs redis-check-rdb),
# the equivalence check (SCAN+DUMP and replication snapshot vs DEBUG DIGEST) and model memory
# (vs used_memory). The benchmark starts its own redis-server master and replicas on free
# loopback ports in temp dirs and always stops them (also on failure and Ctrl-C: they are
# server::ServerProcess children, killed by its signal cleanup and PR_SET_PDEATHSIG).
#
# Usage: bench/run_keyspace_bench.sh [path/to/bench_keyspace] [--keys N] [--repeat N] [--seed N]
#                                    [--server PATH] [--cli PATH] [--check-rdb PATH] [--keep-rdb PATH]
# The binary defaults to $BENCH_KEYSPACE or build/bench/bench_keyspace; --keys defaults to
# 1000000 and --repeat to 3 (medians). The load average is printed before and after: figures
# taken while something else loads the machine are noisy.
set -eu
bin=build/bench/bench_keyspace
[ -n "${BENCH_KEYSPACE:-}" ] && bin=$BENCH_KEYSPACE
case "${1:-}" in
  ""|--*) ;;
  *) bin=$1; shift ;;
esac
if [ ! -x "$bin" ]; then
  echo "run_keyspace_bench.sh: $bin not found; build the bench_keyspace target first" >&2
  exit 2
fi
for tool in redis-server redis-cli redis-check-rdb; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run_keyspace_bench.sh: $tool not found (Debian: apt-get install redis-server redis-tools)" >&2
    exit 2
  fi
done
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | tr -s ' '), load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$bin" "$@"
