#!/usr/bin/env bash
# Regenerates the real-server RDB fixtures in this directory with a local redis-server 7.0
# (/usr/bin/redis-server, Debian's 7.0.15). Not run by the build: the files are checked in, and
# tests/unit/rdb/fixtures_test.cc asserts their exact contents, so after regenerating, rerun
# unit_rdb and update the expectations only where the server's output legitimately changed
# (times such as ctime, PEL delivery times and consumer seen times are not asserted exactly).
#
# Files written:
#   redis-7.0-compact.rdb     default encodings (listpacks, intsets, quicklist2 with a plain
#                             node), int/LZF strings, expiries, 3 dbs, a stream with deletions,
#                             two consumer groups and a PEL, a function; LRU idle opcodes
#   redis-7.0-plain.rdb       hashtable/skiplist encodings (listpack limits 0), an
#                             LZF-compressed quicklist (list-compress-depth 1), LFU opcodes
#   redis-7.0-nochecksum.rdb  rdbchecksum no: the stored CRC64 is 0
#   dump-7.0-*.bin            DUMP payloads of single keys
#
# Usage: tests/data/rdb/make_fixtures.sh [redis-server] [redis-cli]
set -euo pipefail

SERVER=${1:-/usr/bin/redis-server}
CLI=${2:-/usr/bin/redis-cli}
OUT=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
PID=""

cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# start <name> [extra server args...]: a fresh server in its own directory.
start() {
  local name=$1
  shift
  DIR="$WORK/$name"
  mkdir -p "$DIR"
  "$SERVER" --port 0 --unixsocket "$DIR/s" --save '' --dir "$DIR" --dbfilename dump.rdb \
    --appendonly no --enable-debug-command yes --logfile "$DIR/log" "$@" &
  PID=$!
  for _ in $(seq 100); do
    [[ -S "$DIR/s" ]] && "$CLI" -s "$DIR/s" PING >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "redis-server did not start; log:" >&2
  cat "$DIR/log" >&2
  exit 1
}

stop() {
  "$CLI" -s "$DIR/s" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$PID" || true
  PID=""
}

# cli: commands on stdin, one per line (quoted arguments accept \xHH escapes).
cli() { "$CLI" -s "$DIR/s" >/dev/null; }

# dump <key> <file>: the raw DUMP payload (redis-cli --raw appends one newline; drop it).
dump() { "$CLI" -s "$DIR/s" --raw DUMP "$1" | head -c -1 >"$OUT/$2"; }

save_as() {
  "$CLI" -s "$DIR/s" SAVE >/dev/null
  cp "$DIR/dump.rdb" "$OUT/$1"
}

# Keys every fixture shares: strings of each encoding and a stream with groups.
common_keys() {
  cli <<'EOF'
SET str:raw "hello world"
SET str:int8 12
SET str:int16 -1234
SET str:int32 123456789
SET str:int64 12345678901234
SET str:notint 007
SET str:empty ""
SET str:binary "\x00\x01\xff\r\n"
SET str:lzf aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
SET str:expire v
PEXPIREAT str:expire 4102444800123
XADD stream 1-1 name alice age 30
XADD stream 1-2 name bob age 25
XADD stream 2-0 other field
XADD stream 3-0 name carol age 40
XDEL stream 1-2
XGROUP CREATE stream g1 0
XGROUP CREATE stream g2 $
XREADGROUP GROUP g1 c1 COUNT 2 STREAMS stream >
XREADGROUP GROUP g1 c2 COUNT 1 STREAMS stream >
XACK stream g1 2-0
XGROUP CREATECONSUMER stream g2 idle
SELECT 1
SET db1:key db1value
HSET db1:hash f v
SELECT 3
SET db3:key db3value
PEXPIREAT db3:key 4102444800000
EOF
}

# 1. Default (compact) encodings.
start compact --maxmemory-policy allkeys-lru
common_keys
cli <<'EOF'
RPUSH list:small a b 1 2 -3 "hello world"
SADD set:intset 1 2 3 -5 100000
SADD set:intset64 1 5000000000
SADD set:strings a b c
ZADD zset:small 1 a 2.5 b -inf c 1e100 d
HSET hash:small f1 v1 f2 2 f3 -100
DEBUG QUICKLIST-PACKED-THRESHOLD 100
RPUSH list:plainnode x pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp y
FUNCTION LOAD "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)"
EOF
# A list of 300 elements spans several listpack nodes; a stream of 250 entries several nodes.
for i in $(seq 1 300); do echo "RPUSH list:big element-number-$i"; done | cli
for i in $(seq 1 250); do echo "XADD stream:big $i-0 field-$((i % 3)) value-$i"; done | cli
dump hash:small dump-7.0-hash-listpack.bin
dump list:small dump-7.0-list-quicklist2.bin
dump set:intset dump-7.0-set-intset.bin
dump stream dump-7.0-stream.bin
dump str:int16 dump-7.0-string-int.bin
save_as redis-7.0-compact.rdb
stop

# 2. Plain encodings: hashtables, skiplists, compressed quicklist nodes, LFU counters.
start plain --maxmemory-policy allkeys-lfu --hash-max-listpack-entries 0 \
  --zset-max-listpack-entries 0 --set-max-intset-entries 0 --list-max-listpack-size 4 \
  --list-compress-depth 1
common_keys
cli <<'EOF'
SADD set:ints 1 2 3 -5 100000
SADD set:strings a b c
ZADD zset:skiplist 1 a 2.5 b -inf c 1e100 d
HSET hash:ht f1 v1 f2 2 f3 -100
EOF
for i in $(seq 1 40); do echo "RPUSH list:compressed compressible-element-aaaaaaaaaaaaaaaaaaaaaaaa-$i"; done | cli
dump zset:skiplist dump-7.0-zset-skiplist.bin
dump hash:ht dump-7.0-hash-ht.bin
save_as redis-7.0-plain.rdb
stop

# 3. Checksums disabled.
start nochecksum --rdbchecksum no
cli <<'EOF'
SET k v
EOF
save_as redis-7.0-nochecksum.rdb
stop

ls -l "$OUT"
