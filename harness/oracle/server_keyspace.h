// Reads a real server's keyspace into a model, the portable way: SCAN every database, DUMP
// each key (decoded with the harness's own RDB reader) and read its absolute expiry with
// PEXPIRETIME (PTTL on servers older than 7.0, found with one probe first). The model-vs-server
// check compares the result. Each SCAN batch's DUMPs go out in one write with the next SCAN,
// and the next batch is sent before this one is decoded, so the server and the harness work
// at the same time. The fast alternative is snapshot_capture.h.
#pragma once

#include "harness/common/result.h"
#include "harness/keyspace/keyspace.h"
#include "harness/net/resp_client.h"

namespace conformance::oracle {

// What the server offers to be read with (from its traits); the defaults are Redis 7's.
struct ReadOptions {
  size_t scan_count = 1000;  // SCAN COUNT hint, and keys per pipelined batch
  net::Duration timeout = net::Duration{30000};
  bool use_pexpiretime = true;  // absolute expiries (7.0+); PTTL otherwise
  bool select = true;  // SELECT each database; without it only the one database is read
  bool scan = true;    // SCAN (2.8+); KEYS * otherwise
  // DUMP, decoded by the harness's RDB reader; otherwise typed reads (TYPE, then GET, LRANGE,
  // SMEMBERS, ZRANGE WITHSCORES or HGETALL), which see no encodings and no streams.
  bool dump = true;
};

// Fills `out` (cleared first) with the server's keys. Leaves the client in database 0.
net::Awaitable<Status> ReadServerKeyspace(net::RespClient& client, keyspace::Keyspace* out,
                                          ReadOptions options = {});

}  // namespace conformance::oracle
