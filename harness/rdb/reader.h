// Streaming RDB reader: feed it bytes in chunks of any size (down to one byte) as they arrive
// from a file or a replication socket, and it calls a Handler per record: header, aux field,
// db selection, key with its typed value, expiry and LRU/LFU, function, module aux, end.
//
// What it reads: every RDB version 1..12 written by Redis 2.x .. 8.x, Valkey 7/8 (RDB 11) and
// Valkey 9 ("VALKEY080", RDB 80), plus Dragonfly's extensions as far as they are specified:
//   - all value types 0..25 in every encoding (linked list, ziplist, quicklist 1/2 with plain
//     and packed nodes, intset, zipmap, listpacks, skiplist with text or binary scores,
//     streams v1/v2/v3 with groups, PELs and consumers, hash field expiry types of 7.4 RC and
//     GA, Valkey 9's HASH_2);
//   - all opcodes of redis/valkey rdb.h (aux, resizedb, expire s/ms, selectdb, idle, freq,
//     module aux, function and its 7.0-RC form, slot info, Valkey slot import, EOF).
// The CRC64 at the end is verified (a stored 0 means the writer disabled checksums).
//
// Known limitations:
//   - Module values (type 7) and module aux data are NOT interpreted: the opcode stream is
//     walked to its EOF marker and handed over raw (ModuleValue::raw). Type 6 (Redis 4.0 RC
//     modules) has no EOF marker and cannot be skipped: an error.
//   - Dragonfly: FULLSYNC_END, JOURNAL_BLOB (raw), JOURNAL_OFFSET, DF_MASK, types 30 (JSON,
//     returned as a ModuleValue with kDragonflyJsonModuleId and the JSON text), 31 (hash with
//     field expiry) and 32 (set with member expiry; member expiries are dropped, data::Set has
//     none) are read. Compressed blobs (201/202), tagged chunks (224), search indices
//     (222/223) and the probabilistic types 33..37 are "unsupported Dragonfly ..." errors.
//   - Empty collections are delivered as such; Redis would skip those keys on load.
//
// Errors are sticky, name the absolute byte offset and what was expected, e.g.
// `RDB offset 1234: unknown value type 99 for key "foo"`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/packed.h"
#include "harness/data/value.h"
#include "harness/rdb/dump.h"
#include "harness/rdb/limits.h"
#include "harness/rdb/opcodes.h"

namespace conformance::rdb {

// ModuleValue::module_id given to Dragonfly JSON values (type 30); raw holds the JSON text.
inline constexpr uint64_t kDragonflyJsonModuleId = 0;

// What preceded a key besides its expiry.
struct KeyMeta {
  int64_t lru_idle_seconds = -1;  // RDB_OPCODE_IDLE, -1 if absent
  int lfu_freq = -1;              // RDB_OPCODE_FREQ, -1 if absent
  uint8_t type_byte = 0;          // the wire type id, e.g. 18 = quicklist2
  uint32_t dragonfly_mask = 0;    // Dragonfly DF_MASK flags (bit 0 sticky, bit 1 mc flags)
  uint32_t memcached_flags = 0;   // Dragonfly DF_MASK memcached flags
};

// Callbacks; every method returns Status so a handler can abort the load (the reader then
// reports the handler's error, sticky).
class Handler {
 public:
  virtual ~Handler() = default;
  // The magic and version were read.
  virtual Status OnHeader(int version) {
    (void)version;
    return OkStatus();
  }
  // An aux field (integer-encoded values arrive in decimal).
  virtual Status OnAux(std::string_view key, std::string_view value) {
    (void)key;
    (void)value;
    return OkStatus();
  }
  virtual Status OnSelectDb(uint64_t db) {
    (void)db;
    return OkStatus();
  }
  virtual Status OnResizeDb(uint64_t db_size, uint64_t expires_size) {
    (void)db_size;
    (void)expires_size;
    return OkStatus();
  }
  // One key with its value and absolute expiry; the value is moved in.
  virtual Status OnKey(std::string key, data::Entry entry, const KeyMeta& meta) = 0;
  // A handler that takes values in data/packed.h's form says so: strings and the compact
  // encodings (listpack, ziplist, intset, zipmap, quicklist) then arrive through OnPackedKey,
  // decoded straight into packed bytes without a data::Value in between (duplicates refused as
  // corrupt, like OnKey's). Every other value still arrives through OnKey.
  virtual bool TakesPacked() const { return false; }
  // One key with its packed value (valid during the call) and absolute expiry.
  virtual Status OnPackedKey(std::string key, data::ValueType type, std::string_view packed,
                             int64_t expire_at_ms, const KeyMeta& meta) {
    return OnKey(std::move(key), data::Entry{data::Unpack(type, packed), expire_at_ms}, meta);
  }
  // A function library's code (the 7.0 RC form is converted to "#!<engine> name=<name>\n...").
  virtual Status OnFunction(std::string_view code) {
    (void)code;
    return OkStatus();
  }
  // Module aux data: the module id and its raw opcode stream (without the final EOF marker).
  virtual Status OnModuleAux(uint64_t module_id, std::string_view raw) {
    (void)module_id;
    (void)raw;
    return OkStatus();
  }
  // RDB_OPCODE_SLOT_INFO (cluster mode).
  virtual Status OnSlotInfo(uint64_t slot_id, uint64_t slot_size, uint64_t expires_slot_size) {
    (void)slot_id;
    (void)slot_size;
    (void)expires_slot_size;
    return OkStatus();
  }
  // Valkey 9 RDB_OPCODE_SLOT_IMPORT: a job name and its slot ranges [from, to].
  virtual Status OnSlotImport(std::string_view job,
                              const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
    (void)job;
    (void)ranges;
    return OkStatus();
  }
  // Dragonfly FULLSYNC_END: the snapshot part of a flow is complete.
  virtual Status OnDragonflyFullSyncEnd() { return OkStatus(); }
  // Dragonfly JOURNAL_BLOB: `count` serialized journal records, not interpreted here.
  virtual Status OnDragonflyJournalBlob(uint64_t count, std::string_view blob) {
    (void)count;
    (void)blob;
    return OkStatus();
  }
  // Dragonfly JOURNAL_OFFSET: the shard's next LSN.
  virtual Status OnDragonflyJournalOffset(uint64_t offset) {
    (void)offset;
    return OkStatus();
  }
  // The EOF opcode and (RDB >= 5) the checksum were read and verified.
  virtual Status OnEnd(bool checksum_present) {
    (void)checksum_present;
    return OkStatus();
  }
};

class Cursor;
class ValueDecoder;

class Reader {
 public:
  explicit Reader(Handler* handler, ReaderLimits limits = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Parses every complete record in the bytes so far; keeps only the unparsed tail.
  Status Feed(std::string_view bytes);
  // The input ended: an error unless the EOF opcode (and checksum) was read.
  Status Finish();
  // EOF opcode and checksum seen.
  bool done() const { return state_ == State::kDone; }
  // Bytes consumed (parsed) so far.
  uint64_t offset() const { return base_; }
  // RDB version from the header, 0 before it.
  int version() const { return version_; }
  Flavor flavor() const { return flavor_; }

 private:
  enum class State : uint8_t { kMagic, kRecord, kValue, kModuleAux, kChecksum, kDone };

  // Parses as much of `window` (starting at absolute offset base_) as possible; returns the
  // bytes consumed, or the error.
  Result<size_t> Parse(std::string_view window);
  bool ReadMagic(Cursor& c);
  bool ReadRecord(Cursor& c);
  bool ReadChecksum(Cursor& c);
  // Hands the finished key to the handler and resets the per-key state.
  Status DeliverKey();
  // Stores an error as the sticky one and returns it.
  Error Fail(Error error);
  std::string Context() const;

  Handler* handler_;
  ReaderLimits limits_;
  State state_ = State::kMagic;
  int version_ = 0;
  Flavor flavor_ = Flavor::kRedis;
  std::string buffer_;     // unparsed tail; buffer_[0] is at absolute offset base_
  uint64_t base_ = 0;      // absolute offset of the first unparsed byte
  uint64_t need_end_ = 0;  // don't parse again before this many bytes exist
  uint64_t crc_ = 0;
  bool crc_active_ = true;  // false once the EOF opcode was consumed
  std::optional<Error> error_;
  Status handler_status_ = OkStatus();
  // Pending state for the next key.
  int64_t expire_at_ms_ = data::Entry::kNoExpiry;
  KeyMeta meta_;
  std::string key_;
  uint64_t key_offset_ = 0;
  uint64_t module_aux_id_ = 0;
  std::unique_ptr<ValueDecoder> decoder_;
};

// Reads a whole RDB file through a Reader.
Status ReadFile(const std::string& path, Handler* handler, ReaderLimits limits = {});

// The 9-character module type name and 10-bit encoding version packed in a module id, as
// "name/encver" (e.g. "ReJSON-RL/3").
std::string ModuleTypeName(uint64_t module_id);

}  // namespace conformance::rdb
