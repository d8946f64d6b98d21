#include "harness/keyspace/context.h"

#include <chrono>

namespace conformance::keyspace {

bool IsEmptyContainer(const data::Value& value) {
  return std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, data::List> || std::is_same_v<T, data::Set> ||
                      std::is_same_v<T, data::ZSet> || std::is_same_v<T, data::Hash>) {
          return v.empty();
        } else {
          return false;  // strings, streams and module values may be empty
        }
      },
      value);
}

int64_t CommandContext::Now() {
  if (!now_) {
    const Clock& clock = keyspace_.options_.now_ms;
    now_ = clock ? clock()
                 : std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }
  return *now_;
}

void CommandContext::Store(const std::string& key, data::Value value, bool keep_ttl) {
  data::Entry* entry = db().FindOrInsert(key).first;
  entry->value = std::move(value);
  if (!keep_ttl) entry->expire_at_ms = data::Entry::kNoExpiry;
}

void CommandContext::EraseIfEmpty(const std::string& key) {
  const data::Entry* entry = db().Find(key);
  if (entry != nullptr && IsEmptyContainer(entry->value)) db().Erase(key);
}

}  // namespace conformance::keyspace
