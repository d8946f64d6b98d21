// Shared helpers for the RDB codec tests: a handler that records every callback, feeding
// helpers for the chunkings the tests exercise, printable descriptions of values, and a table
// of sample values covering every type.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/rdb/reader.h"
#include "harness/rdb/writer.h"

namespace conformance::rdb::testing {

struct LoadedKey {
  uint64_t db = 0;
  std::string key;
  data::Entry entry;
  KeyMeta meta;
  bool packed = false;  // it arrived through OnPackedKey (entry holds it unpacked)
};

// Everything a Reader reported, in order.
struct Loaded {
  int version = 0;
  std::vector<std::pair<std::string, std::string>> aux;
  std::vector<uint64_t> selected_dbs;
  std::vector<std::pair<uint64_t, uint64_t>> resizes;
  std::vector<LoadedKey> keys;
  std::vector<std::string> functions;
  std::vector<std::pair<uint64_t, std::string>> module_aux;
  std::vector<std::vector<uint64_t>> slot_infos;
  std::vector<std::pair<std::string, std::vector<std::pair<uint64_t, uint64_t>>>> slot_imports;
  int dragonfly_fullsync_ends = 0;
  std::vector<std::pair<uint64_t, std::string>> journal_blobs;
  std::vector<uint64_t> journal_offsets;
  std::optional<bool> end_checksum;  // set by OnEnd

  // The key (in any db) or nullptr.
  const LoadedKey* Find(std::string_view key, std::optional<uint64_t> db = std::nullopt) const;
  // The aux value or nullopt.
  std::optional<std::string> Aux(std::string_view key) const;
};

class CollectingHandler : public Handler {
 public:
  Loaded loaded;
  // When set, OnKey fails with this message on the key of this name.
  std::string fail_on_key;
  // Take packed values (Handler::TakesPacked); they are unpacked into LoadedKey::entry.
  bool take_packed = false;

  Status OnHeader(int version) override;
  Status OnAux(std::string_view key, std::string_view value) override;
  Status OnSelectDb(uint64_t db) override;
  Status OnResizeDb(uint64_t db_size, uint64_t expires_size) override;
  Status OnKey(std::string key, data::Entry entry, const KeyMeta& meta) override;
  bool TakesPacked() const override { return take_packed; }
  Status OnPackedKey(std::string key, data::ValueType type, std::string_view packed,
                     int64_t expire_at_ms, const KeyMeta& meta) override;
  Status OnFunction(std::string_view code) override;
  Status OnModuleAux(uint64_t module_id, std::string_view raw) override;
  Status OnSlotInfo(uint64_t slot_id, uint64_t slot_size, uint64_t expires_slot_size) override;
  Status OnSlotImport(std::string_view job,
                      const std::vector<std::pair<uint64_t, uint64_t>>& ranges) override;
  Status OnDragonflyFullSyncEnd() override;
  Status OnDragonflyJournalBlob(uint64_t count, std::string_view blob) override;
  Status OnDragonflyJournalOffset(uint64_t offset) override;
  Status OnEnd(bool checksum_present) override;

 private:
  uint64_t db_ = 0;
};

// Feeds `bytes` in chunks of `chunk` bytes (0 = all at once), then calls Finish(). With
// packed, the handler takes packed values.
Result<Loaded> ReadChunked(std::string_view bytes, size_t chunk, ReaderLimits limits = {},
                           bool packed = false);
// Feeds `bytes` as two pieces split at `split`, then calls Finish().
Result<Loaded> ReadSplit(std::string_view bytes, size_t split, ReaderLimits limits = {});
// Feeds pieces of pseudo-random sizes in [1, max_chunk] (deterministic for a seed).
Result<Loaded> ReadRandomChunks(std::string_view bytes, uint32_t seed, size_t max_chunk,
                                ReaderLimits limits = {}, bool packed = false);
// The error message a read produces, or "" if it succeeds.
std::string ReadError(std::string_view bytes, size_t chunk = 0, ReaderLimits limits = {},
                      bool packed = false);

// A readable, deterministic rendering (sets and hashes sorted) for failure messages.
std::string Describe(const data::Value& value);
// Equality with both values printed on failure.
::testing::AssertionResult ValuesEqual(const data::Value& expected, const data::Value& actual);
// Equality of two loads: versions, aux, dbs, keys (values, expiries), functions, module aux.
::testing::AssertionResult LoadsEqual(const Loaded& expected, const Loaded& actual);

// Convenience constructors.
data::ZSet MakeZSet(std::initializer_list<std::pair<std::string, double>> members);
data::Hash MakeHash(std::initializer_list<std::pair<std::string, std::string>> fields);

struct SampleValue {
  std::string name;
  data::Value value;
  int min_version = 1;  // oldest RDB version that can hold it
};
// Values of every type: small and large, integers at every width, binary and long strings,
// special scores, streams with groups/PEL/consumers, hash field TTLs, a module value.
std::vector<SampleValue> SampleValues();

// An RDB built from the sample values (those the version can hold) plus aux fields, two dbs,
// expiries and, where the version has them, a function and module aux data.
std::string BuildSampleRdb(const WriterOptions& options);
// What reading BuildSampleRdb(options) must report.
Loaded ExpectedSampleLoad(const WriterOptions& options);

// Bytes helpers for hand-made fixtures.
std::string Len(uint64_t n);            // an RDB length
std::string Str(std::string_view s);    // an RDB raw string (length + bytes)
std::string LE(uint64_t v, int bytes);  // little-endian fixed width
// A complete RDB: magic for `version` + body + 0xFF + CRC64 (when version >= 5).
std::string WrapRdb(int version, std::string_view body, std::string_view magic = "");

}  // namespace conformance::rdb::testing
