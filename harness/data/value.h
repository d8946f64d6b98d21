// Typed values of a Redis keyspace, shared by the RDB codec (which reads and writes them) and
// the keyspace model (which applies commands to them). They hold meaning, not encoding: a list
// read from a quicklist and one read from a linked list are the same List.
#pragma once

#include <compare>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace conformance::data {

enum class ValueType : uint8_t { kString, kList, kSet, kZSet, kHash, kStream, kModule };

// The name TYPE replies with: "string", "list", "set", "zset", "hash", "stream", "module".
const char* TypeName(ValueType type);

using String = std::string;
using List = std::deque<std::string>;
using Set = std::unordered_set<std::string>;

// A sorted set: member -> score, plus the (score, member) order ZRANGE walks.
class ZSet {
 public:
  // Inserts or updates; returns true if the member is new.
  bool Insert(const std::string& member, double score);
  // Returns true if the member existed.
  bool Erase(const std::string& member);
  const double* Score(const std::string& member) const;
  size_t size() const { return scores_.size(); }
  bool empty() const { return scores_.empty(); }
  const std::unordered_map<std::string, double>& scores() const { return scores_; }
  const std::set<std::pair<double, std::string>>& ordered() const { return ordered_; }
  friend bool operator==(const ZSet& a, const ZSet& b) { return a.scores_ == b.scores_; }

 private:
  std::unordered_map<std::string, double> scores_;
  std::set<std::pair<double, std::string>> ordered_;
};

// A hash field; expire_at_ms is an absolute unix time in ms, or kNoExpiry (Redis 7.4 HFE).
struct HashField {
  static constexpr int64_t kNoExpiry = -1;
  std::string value;
  int64_t expire_at_ms = kNoExpiry;
  friend bool operator==(const HashField&, const HashField&) = default;
};
using Hash = std::unordered_map<std::string, HashField>;

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;
  std::string ToString() const;  // "ms-seq"
  friend auto operator<=>(const StreamId&, const StreamId&) = default;
};

using StreamFields = std::vector<std::pair<std::string, std::string>>;

struct StreamPendingEntry {
  StreamId id;
  std::string consumer;
  int64_t delivery_time_ms = 0;
  uint64_t delivery_count = 0;
  friend bool operator==(const StreamPendingEntry&, const StreamPendingEntry&) = default;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_time_ms = 0;
  int64_t active_time_ms = -1;  // -1 where the RDB version does not carry it
  friend bool operator==(const StreamConsumer&, const StreamConsumer&) = default;
};

struct StreamGroup {
  std::string name;
  StreamId last_delivered;
  int64_t entries_read = -1;  // -1 where unknown (RDB < 10)
  std::vector<StreamPendingEntry> pending;  // ordered by id
  std::vector<StreamConsumer> consumers;    // ordered by name
  friend bool operator==(const StreamGroup&, const StreamGroup&) = default;
};

struct Stream {
  std::map<StreamId, StreamFields> entries;
  StreamId last_id;
  StreamId first_id;
  StreamId max_deleted_id;
  uint64_t entries_added = 0;
  std::vector<StreamGroup> groups;  // ordered by name
  friend bool operator==(const Stream&, const Stream&) = default;
};

// A module value the harness cannot interpret: kept as its raw serialized bytes.
struct ModuleValue {
  uint64_t module_id = 0;
  std::string raw;
  friend bool operator==(const ModuleValue&, const ModuleValue&) = default;
};

using Value = std::variant<String, List, Set, ZSet, Hash, Stream, ModuleValue>;

ValueType TypeOf(const Value& value);

// One key's value with its absolute expiry (unix ms), kNoExpiry if it has none.
struct Entry {
  static constexpr int64_t kNoExpiry = -1;
  Value value;
  int64_t expire_at_ms = kNoExpiry;
};

}  // namespace conformance::data
