// RDB writer: builds an RDB file (or the body of a replication transfer) in memory, in the
// encodings a chosen RDB version supports, the way that version's Redis would write them.
//
// Encodings by version (compact = small values, see WriterOptions):
//   list:   v>=10 quicklist2 (listpack nodes; elements longer than compact_max_value become
//           plain nodes), v7..9 quicklist of ziplists, v<7 ziplist when small else linked list
//   set:    intset for small all-integer sets, v>=11 listpack when small, else hashtable
//   zset:   v>=10 listpack, v4..9 ziplist when small; else skiplist (binary scores from v8)
//   hash:   v>=10 listpack, v4..9 ziplist, v2..3 zipmap when small; else hashtable.
//           Field TTLs need v12 (7.4 GA types 24/25) or Valkey 80 (type 22)
//   stream: v>=9 only: v9 LISTPACKS, v10 LISTPACKS_2, v>=11 LISTPACKS_3 (what an older type
//           lacks is dropped, as that version's Redis would; a consumer's active time of -1,
//           never active, is written as is, as Redis 7.2 does)
//   module: v>=8, type 7 with the raw opcode stream
// Strings that are canonical integers fitting 32 bits are written int-encoded, as Redis does;
// with compress_strings, strings longer than 20 bytes are LZF-compressed when that saves at
// least 4 bytes. RDB < 3 has only second-precision expiries (ms are truncated); RDB < 5 has
// no checksum after the EOF opcode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/data/value.h"

namespace conformance::rdb {

enum class Encoding : uint8_t {
  kCompact,  // listpack/intset/ziplist/zipmap where the version allows and the value is small
  kPlain,    // hashtable / skiplist / linked list
};

const char* ToString(Encoding encoding);

struct WriterOptions {
  int version = 10;  // 1..12, or 80 for Valkey 9 ("VALKEY080")
  Encoding encoding = Encoding::kCompact;
  bool compress_strings = false;     // LZF for strings longer than 20 bytes
  bool write_checksum = true;        // else 8 zero bytes (RDB >= 5)
  size_t compact_max_entries = 128;  // elements per compact value / per list or stream node
  size_t compact_max_value = 64;     // longest element a compact value may hold
};

class Writer {
 public:
  explicit Writer(WriterOptions options = {});

  // Magic and version: "REDIS%04d", or "VALKEY080" for version 80.
  void WriteHeader();
  // An aux field with a string value.
  void WriteAux(std::string_view key, std::string_view value);
  // An aux field with an integer value (int-encoded when it fits 32 bits, as Redis does).
  void WriteAux(std::string_view key, int64_t value);
  void WriteSelectDb(uint64_t db);
  void WriteResizeDb(uint64_t size, uint64_t expires);
  // LRU idle seconds of the next key.
  void WriteIdle(uint64_t seconds);
  // LFU frequency of the next key.
  void WriteFreq(uint8_t freq);
  // A key with its expiry and value; an error (nothing written) if the version cannot
  // represent the value (e.g. a stream before RDB 9, hash field TTLs before 12).
  Status WriteKey(std::string_view key, const data::Entry& entry);
  // A function library (RDB_OPCODE_FUNCTION2).
  void WriteFunction(std::string_view code);
  // Module aux data: the module id and its raw opcode stream (the EOF marker is appended).
  void WriteModuleAux(uint64_t module_id, std::string_view raw);
  // 0xFF and, for RDB >= 5, the CRC64 (or 8 zero bytes when write_checksum is false).
  void WriteEnd();

  const std::string& bytes() const { return bytes_; }
  std::string TakeBytes() { return std::move(bytes_); }
  const WriterOptions& options() const { return options_; }

 private:
  WriterOptions options_;
  std::string bytes_;
};

}  // namespace conformance::rdb
