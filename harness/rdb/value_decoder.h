// Internal to the RDB codec: decodes one value (the bytes after its type byte and key) one
// indivisible unit at a time (a string, a member with its score, a listpack blob, a PEL
// entry...). When the input runs out mid-value, Run() rewinds to the start of the unfinished
// unit and keeps everything decoded so far, so a value arriving in many chunks is parsed
// once: the work is linear in the value's size whatever the chunking.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/data/value.h"
#include "harness/rdb/compact_item.h"
#include "harness/rdb/compact_packer.h"
#include "harness/rdb/cursor.h"
#include "harness/rdb/limits.h"
#include "harness/rdb/opcodes.h"

namespace conformance::rdb {

class ValueDecoder {
 public:
  enum class Step : uint8_t { kNeedMore, kDone, kError };

  explicit ValueDecoder(const ReaderLimits* limits) : limits_(limits) {}

  // True if the byte is a value type id of this flavor and version (supported or not).
  static bool IsValueType(uint8_t type, Flavor flavor, int version);

  // Starts a value of wire type `type`. `key` names it in errors and must outlive the value;
  // empty with dump = true for DUMP payloads. With pack, a string or compactly encoded value
  // decodes into packed form (Handler::TakesPacked): see packed().
  void Start(uint8_t type, Flavor flavor, int version, std::string_view key, bool dump = false,
             bool pack = false);
  // Starts a module aux payload (the opcode stream after the module id).
  void StartModuleAux();
  // Decodes as many units as the cursor holds.
  Step Run(Cursor& c);
  // The finished value.
  data::Value TakeValue() { return std::move(value_); }
  // True when the finished value is in packed form (packed_bytes) instead (TakeValue).
  bool packed() const { return packing_; }
  data::ValueType packed_type() const { return packer_.type(); }
  std::string_view packed_bytes() const { return packer_.bytes(); }
  // The finished module aux payload.
  std::string TakeModuleRaw() { return std::move(module_raw_); }

 private:
  enum class Kind : uint8_t {
    kString,
    kListLinked,
    kSet,
    kZSetText,
    kZSetBinary,
    kHash,
    kModulePreGa,
    kModule2,
    kZipmap,
    kListZiplist,
    kIntset,
    kZSetZiplist,
    kHashZiplist,
    kQuicklist,
    kQuicklist2,
    kStream,
    kHashListpack,
    kZSetListpack,
    kSetListpack,
    kHashMetadata,
    kHashListpackEx,
    kValkeyHash2,
    kDflyJson,
    kDflyHashWithExpiry,
    kDflySetWithExpiry,
    kUnsupported,
    kModuleAux,
  };

  // Records a decoding error about this value at absolute offset `at`; returns false.
  bool Corrupt(Cursor& c, uint64_t at, std::string_view what);
  size_t MaxItems() const;

  // Units: each reads everything it needs before changing any state.
  bool ReadCount(Cursor& c, std::string_view what);
  bool ReadListElement(Cursor& c);
  bool ReadSetMember(Cursor& c);
  bool ReadZSetMember(Cursor& c);
  bool ReadHashPair(Cursor& c);
  bool ReadEncodedBlob(Cursor& c);
  // Starts a packable type in packed form; false when the type has none.
  bool StartPacked(uint8_t type, int version);
  bool ReadEncodedBlobPacked(Cursor& c, uint64_t at, std::string_view blob);
  bool ReadQuicklistNode(Cursor& c);
  bool ReadHashMetadataHeader(Cursor& c);
  bool ReadHashMetadataField(Cursor& c);
  bool ReadHashListpackEx(Cursor& c);
  bool ReadValkeyHashField(Cursor& c);
  bool ReadDragonflyExpiring(Cursor& c);
  bool ReadModuleOpcode(Cursor& c, bool* eof);

  Step RunStream(Cursor& c);
  bool ReadStreamNode(Cursor& c);
  bool ReadStreamMeta(Cursor& c);
  bool ReadStreamGroup(Cursor& c);
  bool ReadStreamPel(Cursor& c);
  bool ReadStreamConsumer(Cursor& c);
  bool ReadStreamConsumerPel(Cursor& c);

  // Adds decoded compact items to the value being built.
  bool AddListItems(Cursor& c, uint64_t at);
  bool AddPairs(Cursor& c, uint64_t at, bool zset, size_t tuple);
  bool AddSetItems(Cursor& c, uint64_t at);
  bool CheckSize(Cursor& c, uint64_t at, size_t size);
  // What the packer said of an element read at `at`: a repeat is corrupt there, as it is on
  // the per-key path.
  bool Packed(Cursor& c, uint64_t at, const Status& added);

  const ReaderLimits* limits_;
  uint8_t type_ = 0;
  Kind kind_ = Kind::kString;
  int version_ = 0;
  std::string_view key_;
  bool dump_ = false;
  int phase_ = 0;
  uint64_t remaining_ = 0;
  data::Value value_;
  bool packing_ = false;
  CompactPacker packer_;
  // Scratch buffers reused between units.
  std::vector<CompactItem> items_;
  std::vector<int64_t> ints_;
  std::string storage_;
  std::string pair_storage_;  // the second string of a pair read in one unit
  // Hash field expiry (7.4 GA): the minimum expiry the field TTLs are relative to.
  uint64_t min_expire_ = 0;
  // Streams.
  int stream_version_ = 1;
  uint64_t groups_left_ = 0;
  uint64_t consumers_left_ = 0;
  uint64_t pel_left_ = 0;
  // Modules.
  std::string module_raw_;
};

}  // namespace conformance::rdb
