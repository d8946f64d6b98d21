#!/usr/bin/env bash
# Regenerates the seed corpora in corpus/<target>/ from the project's own data: the RDB and
# DUMP fixtures of tests/data/rdb, scenario files, server profiles, and a few RESP frames.
# Not run by the build: the seeds are checked in. The byte-stream seeds start with the header
# fuzz_input.h describes (flags, chunk sizes); the YAML seeds are the files as they are.
#
# Usage: tests/fuzz/make_corpus.sh
set -euo pipefail
cd "$(dirname "$0")"
root=../..

# seed <file> <header bytes as printf escapes> <payload file or ->: header, then the payload.
seed() {
  mkdir -p "$(dirname "$1")"
  { printf "$2"; cat "$3"; } > "$1"
}

rm -rf corpus && mkdir corpus

# RESP: flag 0 commands mode, flag 1 NextArgv alongside Next, flag 2 tiny limits;
# \x1N = one chunk size N + 1.
resp=corpus/resp_decoder
printf '+OK\r\n-ERR unknown\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n*2\r\n$3\r\nfoo\r\n:7\r\n' |
  seed $resp/replies '\x12\x06' -
printf '%%1\r\n+key\r\n|1\r\n+ttl\r\n:3\r\n,1.5e3\r\n#t\r\n_\r\n(12345678901234567890\r\n!3\r\nerr\r\n=7\r\ntxt:abc\r\n~1\r\n,inf\r\n>2\r\n+pubsub\r\n:2\r\n' |
  seed $resp/resp3 '\x10' -
printf '\n\n+FULLRESYNC 8371b4fb1155b71f4a04d3e1bc3e18c4a990aeeb 0\r\n\r\n+CONTINUE\r\n' |
  seed $resp/sync-replies '\x22\x00\x02' -
printf '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nPING\r\nSET "a b\\x41\\n" '"'"'it\\'"'"'s'"'"'\r\n\n*0\r\n' |
  seed $resp/commands '\x23\x02\x09' -
printf '*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n*9\r\n$65\r\n' | seed $resp/tiny-limits '\x04' -

# RDB reader: flag 0 packed values, flag 1 CRC64 fixed up, flag 2 tiny limits.
rdb=corpus/rdb_reader
seed $rdb/redis-7.0-compact '\x13\x3f' $root/tests/data/rdb/redis-7.0-compact.rdb
seed $rdb/redis-7.0-plain '\x00' $root/tests/data/rdb/redis-7.0-plain.rdb
seed $rdb/redis-7.0-nochecksum '\x10\x00' $root/tests/data/rdb/redis-7.0-nochecksum.rdb

# DUMP payloads: flag 1 CRC64 fixed up, so mutations of the value get decoded.
for dump in $root/tests/data/rdb/dump-7.0-*.bin; do
  name=$(basename "$dump" .bin)
  seed corpus/dump_payload/${name#dump-7.0-} '\x02' "$dump"
done

mkdir -p corpus/scenario_loader corpus/profile_loader
cp $root/scenarios/sanity/ping.yaml corpus/scenario_loader/sanity-ping.yaml
cp $root/scenarios/master/fullsync.yaml corpus/scenario_loader/master-fullsync.yaml
cp $root/scenarios/replica/stream-inline-garbage.yaml corpus/scenario_loader/replica-stream-inline-garbage.yaml
cp $root/ci/profiles/redis-7.0.yaml $root/ci/profiles/keydb-6.3.yaml corpus/profile_loader/
