#include "harness/rdb/listpack.h"

#include <fmt/format.h>

namespace conformance::rdb {
namespace {

constexpr size_t kHeaderSize = 6;
constexpr uint8_t kEof = 0xFF;
constexpr uint16_t kUnknownCount = 65535;

// Writes the back-length of an entry of `len` bytes into buf; returns its size (1..5).
size_t EncodeBacklen(uint64_t len, unsigned char buf[5]) {
  if (len <= 127) {
    buf[0] = static_cast<unsigned char>(len);
    return 1;
  }
  size_t n = len < 16383 ? 2 : len < 2097151 ? 3 : len < 268435455 ? 4 : 5;
  // The first byte holds the high bits; every later byte has the continuation bit set.
  for (size_t i = 0; i < n; ++i) {
    const unsigned shift = static_cast<unsigned>(7 * (n - 1 - i));
    unsigned char b = static_cast<unsigned char>((len >> shift) & 127);
    if (i > 0) b |= 128;
    buf[i] = b;
  }
  return n;
}

Error Corrupt(size_t at, std::string_view what) {
  return Error{fmt::format("corrupt listpack at blob offset {}: {}", at, what)};
}

}  // namespace

Status DecodeListpack(std::string_view blob, std::vector<CompactItem>* items, size_t max_items) {
  items->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t size = blob.size();
  if (size < kHeaderSize + 1) {
    return Error{fmt::format("corrupt listpack: {} bytes, shorter than the 7-byte minimum", size)};
  }
  const uint64_t total = LoadLE(p, 4);
  if (total != size) {
    return Error{fmt::format("corrupt listpack: header says {} bytes, blob has {}", total, size)};
  }
  const uint64_t declared = LoadLE(p + 4, 2);
  if (p[size - 1] != kEof) return Corrupt(size - 1, "last byte is not the 0xff terminator");
  const size_t end = size - 1;  // entries must end before the terminator
  size_t pos = kHeaderSize;
  while (pos < end) {
    const unsigned char b = p[pos];
    CompactItem item;
    size_t header = 1;
    uint64_t str_len = 0;
    if ((b & 0x80) == 0) {
      item.is_int = true;
      item.integer = b & 0x7f;
    } else if ((b & 0xC0) == 0x80) {
      str_len = b & 0x3f;
    } else if ((b & 0xE0) == 0xC0) {
      header = 2;
      if (pos + 2 > end) return Corrupt(pos, "13-bit integer runs past the end");
      item.is_int = true;
      item.integer = SignExtend((uint64_t{b & 0x1fu} << 8) | p[pos + 1], 13);
    } else if ((b & 0xF0) == 0xE0) {
      header = 2;
      if (pos + 2 > end) return Corrupt(pos, "12-bit string length runs past the end");
      str_len = (uint64_t{b & 0x0fu} << 8) | p[pos + 1];
    } else if (b == 0xF0) {
      header = 5;
      if (pos + 5 > end) return Corrupt(pos, "32-bit string length runs past the end");
      str_len = LoadLE(p + pos + 1, 4);
    } else if (b >= 0xF1 && b <= 0xF4) {
      static constexpr int kWidths[] = {2, 3, 4, 8};
      const int width = kWidths[b - 0xF1];
      header = 1 + static_cast<size_t>(width);
      if (pos + header > end) return Corrupt(pos, "integer runs past the end");
      item.is_int = true;
      item.integer = SignExtend(LoadLE(p + pos + 1, width), 8 * width);
    } else if (b == kEof) {
      return Corrupt(pos, "0xff terminator before the end of the blob");
    } else {
      return Corrupt(pos, fmt::format("bad encoding byte 0x{:02x}", b));
    }
    if (str_len > end - pos - header) {
      return Corrupt(pos, fmt::format("string of {} bytes runs past the end", str_len));
    }
    const uint64_t entry_len = header + str_len;
    if (!item.is_int) {
      item.str = blob.substr(pos + header, static_cast<size_t>(str_len));
    }
    unsigned char expect[5];
    const size_t blen = EncodeBacklen(entry_len, expect);
    const size_t back_at = pos + static_cast<size_t>(entry_len);
    if (blen > end - back_at) return Corrupt(back_at, "back-length runs past the end");
    for (size_t i = 0; i < blen; ++i) {
      if (p[back_at + i] != expect[i]) {
        return Corrupt(back_at, fmt::format("bad back-length for an entry of {} bytes", entry_len));
      }
    }
    if (items->size() >= max_items) {
      return Error{fmt::format("listpack has more than {} elements (limit)", max_items)};
    }
    items->push_back(item);
    pos = back_at + blen;
  }
  if (declared != kUnknownCount && declared != items->size()) {
    return Error{
        fmt::format("corrupt listpack: header count {} but {} elements", declared, items->size())};
  }
  return OkStatus();
}

void ListpackBuilder::AppendEntry(std::string_view encoded) {
  body_.append(encoded);
  unsigned char back[5];
  const size_t n = EncodeBacklen(encoded.size(), back);
  body_.append(reinterpret_cast<const char*>(back), n);
  ++count_;
}

void ListpackBuilder::Append(std::string_view s) {
  int64_t v;
  if (ParseStrictInt64(s, &v)) {
    AppendInt(v);
    return;
  }
  scratch_.clear();
  const size_t len = s.size();
  if (len < 64) {
    scratch_.push_back(static_cast<char>(0x80 | len));
  } else if (len < 4096) {
    scratch_.push_back(static_cast<char>(0xE0 | (len >> 8)));
    scratch_.push_back(static_cast<char>(len & 0xff));
  } else {
    scratch_.push_back(static_cast<char>(0xF0));
    AppendLE(&scratch_, len, 4);
  }
  scratch_.append(s);
  AppendEntry(scratch_);
}

void ListpackBuilder::AppendInt(int64_t v) {
  scratch_.clear();
  const uint64_t u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    scratch_.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    const uint64_t w = u & 0x1fff;
    scratch_.push_back(static_cast<char>(0xC0 | (w >> 8)));
    scratch_.push_back(static_cast<char>(w & 0xff));
  } else if (v >= -32768 && v <= 32767) {
    scratch_.push_back(static_cast<char>(0xF1));
    AppendLE(&scratch_, u, 2);
  } else if (v >= -8388608 && v <= 8388607) {
    scratch_.push_back(static_cast<char>(0xF2));
    AppendLE(&scratch_, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    scratch_.push_back(static_cast<char>(0xF3));
    AppendLE(&scratch_, u, 4);
  } else {
    scratch_.push_back(static_cast<char>(0xF4));
    AppendLE(&scratch_, u, 8);
  }
  AppendEntry(scratch_);
}

std::string ListpackBuilder::Finish() {
  std::string out;
  out.reserve(kHeaderSize + body_.size() + 1);
  AppendLE(&out, kHeaderSize + body_.size() + 1, 4);
  AppendLE(&out, count_ < kUnknownCount ? count_ : kUnknownCount, 2);
  out.append(body_);
  out.push_back(static_cast<char>(kEof));
  body_.clear();
  count_ = 0;
  return out;
}

}  // namespace conformance::rdb
