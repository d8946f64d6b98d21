#include "harness/data/value.h"

#include <fmt/format.h>

namespace conformance::data {

const char* TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString: return "string";
    case ValueType::kList: return "list";
    case ValueType::kSet: return "set";
    case ValueType::kZSet: return "zset";
    case ValueType::kHash: return "hash";
    case ValueType::kStream: return "stream";
    case ValueType::kModule: return "module";
  }
  return "unknown";
}

ValueType TypeOf(const Value& value) { return static_cast<ValueType>(value.index()); }

bool ZSet::Insert(const std::string& member, double score) {
  auto [it, inserted] = scores_.try_emplace(member, score);
  if (!inserted) {
    if (it->second == score) return false;
    ordered_.erase({it->second, member});
    it->second = score;
  }
  ordered_.emplace(score, member);
  return inserted;
}

bool ZSet::Erase(const std::string& member) {
  auto it = scores_.find(member);
  if (it == scores_.end()) return false;
  ordered_.erase({it->second, member});
  scores_.erase(it);
  return true;
}

const double* ZSet::Score(const std::string& member) const {
  auto it = scores_.find(member);
  return it == scores_.end() ? nullptr : &it->second;
}

std::string StreamId::ToString() const { return fmt::format("{}-{}", ms, seq); }

}  // namespace conformance::data
