#include "harness/rdb/zipmap.h"

#include <fmt/format.h>

namespace conformance::rdb {
namespace {

constexpr uint8_t kBigLen = 254;
constexpr uint8_t kEnd = 255;

Error Corrupt(size_t at, std::string_view what) {
  return Error{fmt::format("corrupt zipmap at blob offset {}: {}", at, what)};
}

void AppendLen(std::string* out, size_t len) {
  if (len < kBigLen) {
    out->push_back(static_cast<char>(len));
  } else {
    out->push_back(static_cast<char>(kBigLen));
    AppendLE(out, len, 4);
  }
}

}  // namespace

Status DecodeZipmap(std::string_view blob, std::vector<CompactItem>* items, size_t max_pairs) {
  items->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t size = blob.size();
  if (size < 2) return Error{fmt::format("corrupt zipmap: {} bytes, shorter than 2", size)};
  if (p[size - 1] != kEnd) return Corrupt(size - 1, "last byte is not the 0xff terminator");
  const size_t end = size - 1;
  size_t pos = 1;
  // Reads one length at pos; false (with *err set) if it runs past the end.
  auto read_len = [&](uint64_t* len, Error* err) {
    if (pos >= end) {
      *err = Corrupt(pos, "length runs past the end");
      return false;
    }
    if (p[pos] < kBigLen) {
      *len = p[pos++];
      return true;
    }
    if (p[pos] == kEnd) {
      *err = Corrupt(pos, "0xff terminator inside a pair");
      return false;
    }
    if (pos + 5 > end) {
      *err = Corrupt(pos, "5-byte length runs past the end");
      return false;
    }
    *len = LoadLE(p + pos + 1, 4);
    pos += 5;
    return true;
  };
  Error err;
  while (pos < end) {
    if (p[pos] == kEnd) return Corrupt(pos, "0xff terminator before the end of the blob");
    uint64_t klen;
    if (!read_len(&klen, &err)) return err;
    if (klen > end - pos)
      return Corrupt(pos, fmt::format("key of {} bytes runs past the end", klen));
    const std::string_view key = blob.substr(pos, static_cast<size_t>(klen));
    pos += static_cast<size_t>(klen);
    uint64_t vlen;
    if (!read_len(&vlen, &err)) return err;
    if (pos >= end) return Corrupt(pos, "free byte runs past the end");
    const uint64_t free = p[pos++];
    if (vlen > end - pos || free > end - pos - vlen) {
      return Corrupt(pos,
                     fmt::format("value of {} bytes (+{} free) runs past the end", vlen, free));
    }
    const std::string_view value = blob.substr(pos, static_cast<size_t>(vlen));
    pos += static_cast<size_t>(vlen + free);
    if (items->size() / 2 >= max_pairs) {
      return Error{fmt::format("zipmap has more than {} pairs (limit)", max_pairs)};
    }
    items->push_back(CompactItem{key, 0, false});
    items->push_back(CompactItem{value, 0, false});
  }
  return OkStatus();
}

std::string EncodeZipmap(const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  std::string out;
  out.push_back(static_cast<char>(pairs.size() < kBigLen ? pairs.size() : kBigLen));
  for (const auto& [k, v] : pairs) {
    AppendLen(&out, k.size());
    out.append(k);
    AppendLen(&out, v.size());
    out.push_back('\0');  // no free bytes
    out.append(v);
  }
  out.push_back(static_cast<char>(kEnd));
  return out;
}

}  // namespace conformance::rdb
