#include "harness/repl/model_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <type_traits>
#include <variant>

namespace conformance::repl {

namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Status ModelLoader::OnHeader(int version) {
  version_ = version;
  return OkStatus();
}

Status ModelLoader::OnAux(std::string_view key, std::string_view value) {
  if (key == "repl-id") repl_id_ = std::string(value);
  if (key == "repl-offset") repl_offset_ = ParseInt(value);
  if (key == "repl-stream-db") {
    if (auto db = ParseInt(value)) repl_stream_db_ = static_cast<int>(*db);
  }
  return OkStatus();
}

Status ModelLoader::OnSelectDb(uint64_t db) {
  if (db >= static_cast<uint64_t>(model_->databases())) {
    return Error{fmt::format("RDB selects db {} but the model has {} databases", db,
                             model_->databases()),
                 ErrorKind::kProtocol};
  }
  db_ = static_cast<int>(db);
  return OkStatus();
}

Status ModelLoader::OnResizeDb(uint64_t db_size, uint64_t) {
  model_->Reserve(db_, static_cast<size_t>(std::min(db_size, kMaxReservedKeys)));
  return OkStatus();
}

Status ModelLoader::OnKey(std::string key, data::Entry entry, const rdb::KeyMeta&) {
  // Redis drops empty collections when it loads a snapshot; the model does the same.
  const bool empty = std::visit(
      [](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, data::List> || std::is_same_v<T, data::Set> ||
                      std::is_same_v<T, data::ZSet> || std::is_same_v<T, data::Hash>) {
          return value.empty();
        } else {
          return false;
        }
      },
      entry.value);
  if (empty) return OkStatus();
  model_->Set(db_, std::move(key), std::move(entry));
  ++keys_;
  return OkStatus();
}

Status ModelLoader::OnPackedKey(std::string key, data::ValueType type, std::string_view packed,
                                int64_t expire_at_ms, const rdb::KeyMeta&) {
  // As OnKey: an empty collection is dropped (a string may be empty).
  if (type != data::ValueType::kString && data::PackedSize(type, packed) == 0) return OkStatus();
  model_->SetPacked(db_, key, type, packed, expire_at_ms);
  ++keys_;
  return OkStatus();
}

}  // namespace conformance::repl
