#include "harness/rdb/intset.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/rdb/compact_item.h"

namespace conformance::rdb {

Status DecodeIntset(std::string_view blob, std::vector<int64_t>* values, size_t max_items) {
  values->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  if (blob.size() < 8) {
    return Error{
        fmt::format("corrupt intset: {} bytes, shorter than its 8-byte header", blob.size())};
  }
  const uint64_t width = LoadLE(p, 4);
  const uint64_t length = LoadLE(p + 4, 4);
  if (width != 2 && width != 4 && width != 8) {
    return Error{fmt::format("corrupt intset: encoding {} (expected 2, 4 or 8)", width)};
  }
  if (length > max_items) {
    return Error{fmt::format("intset has {} elements, more than the limit {}", length, max_items)};
  }
  if (8 + width * length != blob.size()) {
    return Error{fmt::format("corrupt intset: {} values of {} bytes need {} bytes, blob has {}",
                             length, width, 8 + width * length, blob.size())};
  }
  values->reserve(static_cast<size_t>(length));
  for (uint64_t i = 0; i < length; ++i) {
    const int w = static_cast<int>(width);
    const int64_t v = SignExtend(LoadLE(p + 8 + i * width, w), 8 * w);
    if (!values->empty() && v <= values->back()) {
      return Error{fmt::format("corrupt intset: value {} at index {} is not above {}", v, i,
                               values->back())};
    }
    values->push_back(v);
  }
  return OkStatus();
}

std::string EncodeIntset(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  int width = 2;
  for (int64_t v : values) {
    if (v < INT32_MIN || v > INT32_MAX) {
      width = 8;
      break;
    }
    if (v < INT16_MIN || v > INT16_MAX) width = 4;
  }
  std::string out;
  out.reserve(8 + values.size() * static_cast<size_t>(width));
  AppendLE(&out, static_cast<uint64_t>(width), 4);
  AppendLE(&out, values.size(), 4);
  for (int64_t v : values) AppendLE(&out, static_cast<uint64_t>(v), width);
  return out;
}

}  // namespace conformance::rdb
