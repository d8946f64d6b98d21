// Fills a keyspace model from an RDB snapshot and keeps the aux fields a replica acts on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/keyspace/keyspace.h"
#include "harness/rdb/reader.h"

namespace conformance::repl {

class ModelLoader : public rdb::Handler {
 public:
  // A RESIZEDB beyond this reserves only this much; the table grows as keys arrive.
  static constexpr uint64_t kMaxReservedKeys = uint64_t{1} << 24;

  explicit ModelLoader(keyspace::Keyspace* model) : model_(model) {}

  Status OnHeader(int version) override;
  Status OnAux(std::string_view key, std::string_view value) override;
  Status OnSelectDb(uint64_t db) override;
  // Reserves room for the announced keys (at most kMaxReservedKeys: the announcement is data).
  Status OnResizeDb(uint64_t db_size, uint64_t expires_size) override;
  Status OnKey(std::string key, data::Entry entry, const rdb::KeyMeta& meta) override;
  bool TakesPacked() const override { return true; }
  Status OnPackedKey(std::string key, data::ValueType type, std::string_view packed,
                     int64_t expire_at_ms, const rdb::KeyMeta& meta) override;

  int version() const { return version_; }
  uint64_t keys() const { return keys_; }
  const std::optional<std::string>& repl_id() const { return repl_id_; }
  const std::optional<int64_t>& repl_offset() const { return repl_offset_; }
  // The db the stream continues in after the snapshot ("repl-stream-db" aux), if announced.
  const std::optional<int>& repl_stream_db() const { return repl_stream_db_; }

 private:
  keyspace::Keyspace* model_;
  int db_ = 0;
  int version_ = 0;
  uint64_t keys_ = 0;
  std::optional<std::string> repl_id_;
  std::optional<int64_t> repl_offset_;
  std::optional<int> repl_stream_db_;
};

}  // namespace conformance::repl
