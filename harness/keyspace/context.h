// What a command handler sees of the keyspace: the selected database, typed lookups that fail
// with WRONGTYPE, the command's time snapshot, and the role. Internal to the keyspace layer.
//
// Handlers validate every argument and look up every key before they change anything, so an
// error always leaves the keyspace as it was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/keyspace/keyspace.h"

namespace conformance::keyspace {

using Argv = std::vector<std::string>;

inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kSyntaxError = "ERR syntax error";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";

inline ApplyResult Applied() { return {}; }
inline ApplyResult Failed(std::string message) { return {ApplyStatus::kError, std::move(message)}; }
inline ApplyResult Unmodelled(std::string message) {
  return {ApplyStatus::kUnmodelled, std::move(message)};
}

// `lhs = value` of a Result, or return its error as a kError ApplyResult.
#define KS_CONCAT_INNER(a, b) a##b
#define KS_CONCAT(a, b) KS_CONCAT_INNER(a, b)
#define KS_ASSIGN_OR_FAIL(lhs, expr) \
  KS_ASSIGN_OR_FAIL_IMPL(KS_CONCAT(ks_result_, __LINE__), lhs, expr)
#define KS_ASSIGN_OR_FAIL_IMPL(tmp, lhs, expr)       \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return Failed(tmp.error().message); \
  lhs = std::move(tmp).value()

// Index of T in data::Value.
template <typename T, typename V = data::Value, size_t I = 0>
constexpr size_t ValueIndex() {
  if constexpr (I >= std::variant_size_v<V>) {
    static_assert(I < std::variant_size_v<V>, "not a data::Value alternative");
    return I;
  } else if constexpr (std::is_same_v<T, std::variant_alternative_t<I, V>>) {
    return I;
  } else {
    return ValueIndex<T, V, I + 1>();
  }
}

// True for the container types Redis deletes when they become empty.
bool IsEmptyContainer(const data::Value& value);

class CommandContext {
 public:
  explicit CommandContext(Keyspace& keyspace) : keyspace_(keyspace) {}

  // The time snapshot of this command (read once, like Redis' commandTimeSnapshot()).
  int64_t Now();
  // A master deletes what gets an expiry in the past; a replica stores it.
  bool DeletesPastExpiry() const { return keyspace_.options_.role == Role::kMaster; }
  bool AlreadyExpired(int64_t when_ms) { return DeletesPastExpiry() && when_ms <= Now(); }

  int databases() const { return keyspace_.databases(); }
  int selected_db() const { return keyspace_.selected_; }
  void Select(int index) { keyspace_.selected_ = index; }
  Database& db() { return keyspace_.dbs_[keyspace_.selected_]; }
  Database& db(int index) { return keyspace_.dbs_[index]; }
  std::vector<Database>& dbs() { return keyspace_.dbs_; }
  std::map<std::string, std::string>& functions() { return keyspace_.functions_; }
  const DumpDecoder& dump_decoder() const { return keyspace_.options_.dump_decoder; }

  // The entry at key in the selected database, or nullptr.
  data::Entry* Find(const std::string& key) { return db().Find(key); }

  // The value of type T at key: nullptr when the key is missing, WRONGTYPE when it holds
  // another type.
  template <typename T>
  Result<T*> Get(const std::string& key) {
    data::Entry* entry = Find(key);
    if (entry == nullptr) return static_cast<T*>(nullptr);
    if (entry->value.index() != ValueIndex<T>()) return Error{std::string(kWrongType)};
    return &std::get<T>(entry->value);
  }

  // Like Get, for a key that is about to be written: creates an empty T (no expiry) when the
  // key is missing. Only call it once every argument has been validated.
  template <typename T>
  Result<T*> GetOrCreate(const std::string& key) {
    auto [entry, inserted] = db().FindOrInsert(key);
    if (inserted) return &entry->value.emplace<T>();
    if (entry->value.index() != ValueIndex<T>()) return Error{std::string(kWrongType)};
    return &std::get<T>(entry->value);
  }

  // WRONGTYPE unless the key is missing or holds a T.
  template <typename T>
  bool WrongType(const std::string& key) {
    data::Entry* entry = Find(key);
    return entry != nullptr && entry->value.index() != ValueIndex<T>();
  }

  // Overwrites key with value; the expiry is dropped unless keep_ttl (Redis setKey).
  void Store(const std::string& key, data::Value value, bool keep_ttl = false);
  bool Erase(const std::string& key) { return db().Erase(key); }
  // Deletes key if it holds an empty list/set/zset/hash (Redis never keeps those).
  void EraseIfEmpty(const std::string& key);

 private:
  Keyspace& keyspace_;
  std::optional<int64_t> now_;
};

}  // namespace conformance::keyspace
