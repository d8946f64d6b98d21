// The snapshot a master sends in a full sync, built from a keyspace model with the RDB writer,
// and the framing around it on the link (rules M10, M11, O9).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/keyspace/keyspace.h"
#include "harness/rdb/writer.h"

namespace conformance::repl {

// The first RDB version with aux fields and RESIZEDB (Redis 3.2), and with functions (7.0).
inline constexpr int kFirstAuxRdbVersion = 7;
inline constexpr int kFirstFunctionRdbVersion = 10;

struct RdbBuildOptions {
  rdb::WriterOptions writer;  // version (default 10, Redis 7.0), encoding, compression
  // redis-ver, redis-bits, ctime, used-mem, as every Redis >= 3.2 writes (RDB >= 7 only).
  bool server_aux = true;
  std::string redis_ver = "7.0.0";
  std::optional<int64_t> ctime;  // unix seconds; default: now
  // The replication aux fields of Redis >= 4 (RDB >= 7 only); each omitted when unset. The
  // replica continues the stream in repl-stream-db (O9).
  std::optional<int> repl_stream_db;
  std::optional<std::string> repl_id;
  std::optional<int64_t> repl_offset;
  // More aux fields, written after the others.
  std::vector<std::pair<std::string, std::string>> extra_aux;
  // The model's function libraries (RDB >= 10; an error before, if there are any).
  bool functions = true;
};

// Where BuildRdb wrote each record, as byte ranges of its output: for tools that change an
// RDB by its structure (the fuzzer aims at a key's type byte or an aux field's value).
struct RdbRecord {
  enum class Kind : uint8_t { kHeader, kAux, kFunction, kSelectDb, kResizeDb, kKey, kEnd };
  Kind kind;
  size_t begin;
  size_t end;  // one past the last byte
};

// The whole RDB file: header, aux fields, functions, then every non-empty database (keys in
// sorted order, so the bytes are reproducible), EOF and checksum. Fails when the version
// cannot represent a value (e.g. a stream before RDB 9). `layout` (may be null) receives the
// records in order.
Result<std::string> BuildRdb(const keyspace::Keyspace& model, const RdbBuildOptions& options,
                             std::vector<RdbRecord>* layout = nullptr);

// "$<length>\r\n": the disk-style preamble; exactly `length` payload bytes follow, no CRLF.
std::string LengthPreamble(uint64_t length);
// "$EOF:<mark>\r\n": the diskless preamble; the payload is followed by the same mark.
std::string EofPreamble(std::string_view mark);
// 40 random hex characters, like the mark a diskless Redis master draws.
std::string RandomEofMark(std::mt19937_64& rng);

}  // namespace conformance::repl
