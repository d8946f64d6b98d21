#include "harness/rdb/compact_item.h"

#include <charconv>

namespace conformance::rdb {

std::string CompactItem::ToString() const {
  if (!is_int) return std::string(str);
  return Int64ToString(integer);
}

void CompactItem::AppendTo(std::string* out) const {
  if (!is_int) {
    out->append(str);
    return;
  }
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), integer);
  out->append(buf, res.ptr);
}

std::string Int64ToString(int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

bool ParseStrictInt64(std::string_view s, int64_t* value) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0') {
    // "0" alone is canonical; "-0" and leading zeros are not.
    if (s.size() == 1) {
      *value = 0;
      return true;
    }
    return false;
  }
  uint64_t acc = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (acc > (UINT64_MAX - d) / 10) return false;
    acc = acc * 10 + d;
  }
  if (negative) {
    if (acc > uint64_t{1} << 63) return false;
    *value = static_cast<int64_t>(0 - acc);
  } else {
    if (acc > static_cast<uint64_t>(INT64_MAX)) return false;
    *value = static_cast<int64_t>(acc);
  }
  return true;
}

}  // namespace conformance::rdb
