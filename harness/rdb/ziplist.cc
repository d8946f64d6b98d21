#include "harness/rdb/ziplist.h"

#include <fmt/format.h>

namespace conformance::rdb {
namespace {

constexpr size_t kHeaderSize = 10;
constexpr uint8_t kEnd = 0xFF;
constexpr uint8_t kBigPrevLen = 0xFE;
constexpr uint16_t kUnknownCount = 65535;

// Integer encodings (the whole byte) and the immediate range 0xF1..0xFD = 0..12.
constexpr uint8_t kInt16 = 0xC0;
constexpr uint8_t kInt32 = 0xD0;
constexpr uint8_t kInt64 = 0xE0;
constexpr uint8_t kInt24 = 0xF0;
constexpr uint8_t kInt8 = 0xFE;
constexpr uint8_t kImmMin = 0xF1;
constexpr uint8_t kImmMax = 0xFD;

Error Corrupt(size_t at, std::string_view what) {
  return Error{fmt::format("corrupt ziplist at blob offset {}: {}", at, what)};
}

}  // namespace

Status DecodeZiplist(std::string_view blob, std::vector<CompactItem>* items, size_t max_items) {
  items->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t size = blob.size();
  if (size < kHeaderSize + 1) {
    return Error{fmt::format("corrupt ziplist: {} bytes, shorter than the 11-byte minimum", size)};
  }
  const uint64_t zlbytes = LoadLE(p, 4);
  if (zlbytes != size) {
    return Error{fmt::format("corrupt ziplist: header says {} bytes, blob has {}", zlbytes, size)};
  }
  const uint64_t zltail = LoadLE(p + 4, 4);
  const uint64_t zllen = LoadLE(p + 8, 2);
  if (p[size - 1] != kEnd) return Corrupt(size - 1, "last byte is not the 0xff terminator");
  const size_t end = size - 1;
  size_t pos = kHeaderSize;
  size_t prev_entry_len = 0;
  size_t last_entry = kHeaderSize;
  while (pos < end) {
    if (p[pos] == kEnd) return Corrupt(pos, "0xff terminator before the end of the blob");
    size_t prevlen_size = 1;
    uint64_t prevlen = p[pos];
    if (prevlen == kBigPrevLen) {
      prevlen_size = 5;
      if (pos + 5 > end) return Corrupt(pos, "5-byte prevlen runs past the end");
      prevlen = LoadLE(p + pos + 1, 4);
    }
    if (prevlen != prev_entry_len) {
      return Corrupt(
          pos, fmt::format("bad prevlen (back-length) {}, the previous entry has {} bytes", prevlen,
                           prev_entry_len));
    }
    const size_t enc_at = pos + prevlen_size;
    if (enc_at >= end) return Corrupt(pos, "entry encoding runs past the end");
    const unsigned char e = p[enc_at];
    CompactItem item;
    size_t enc_size = 1;
    uint64_t data_len = 0;
    switch (e >> 6) {
      case 0: data_len = e & 0x3f; break;
      case 1:
        enc_size = 2;
        if (enc_at + 2 > end) return Corrupt(enc_at, "14-bit length runs past the end");
        data_len = (uint64_t{e & 0x3fu} << 8) | p[enc_at + 1];
        break;
      case 2:
        enc_size = 5;
        if (enc_at + 5 > end) return Corrupt(enc_at, "32-bit length runs past the end");
        data_len = (uint64_t{p[enc_at + 1]} << 24) | (uint64_t{p[enc_at + 2]} << 16) |
                   (uint64_t{p[enc_at + 3]} << 8) | p[enc_at + 4];
        break;
      default: {
        item.is_int = true;
        int width = 0;
        if (e == kInt16) {
          width = 2;
        } else if (e == kInt32) {
          width = 4;
        } else if (e == kInt64) {
          width = 8;
        } else if (e == kInt24) {
          width = 3;
        } else if (e == kInt8) {
          width = 1;
        } else if (e >= kImmMin && e <= kImmMax) {
          item.integer = (e & 0x0f) - 1;
        } else {
          return Corrupt(enc_at, fmt::format("bad encoding byte 0x{:02x}", e));
        }
        data_len = static_cast<uint64_t>(width);
        if (width > 0) {
          if (enc_at + 1 + static_cast<size_t>(width) > end) {
            return Corrupt(enc_at, "integer runs past the end");
          }
          item.integer = SignExtend(LoadLE(p + enc_at + 1, width), 8 * width);
        }
      }
    }
    const size_t data_at = enc_at + enc_size;
    if (data_at > end || data_len > end - data_at) {
      return Corrupt(pos, fmt::format("entry of {} data bytes runs past the end", data_len));
    }
    if (!item.is_int) item.str = blob.substr(data_at, static_cast<size_t>(data_len));
    if (items->size() >= max_items) {
      return Error{fmt::format("ziplist has more than {} elements (limit)", max_items)};
    }
    items->push_back(item);
    last_entry = pos;
    prev_entry_len = data_at + static_cast<size_t>(data_len) - pos;
    pos = data_at + static_cast<size_t>(data_len);
  }
  if (zltail != last_entry) {
    return Error{
        fmt::format("corrupt ziplist: zltail {} but the last entry is at {}", zltail, last_entry)};
  }
  if (zllen != kUnknownCount && zllen != items->size()) {
    return Error{
        fmt::format("corrupt ziplist: header count {} but {} elements", zllen, items->size())};
  }
  return OkStatus();
}

void ZiplistBuilder::AppendEntry(std::string_view encoding_and_data) {
  last_offset_ = body_.size();
  if (prev_len_ < kBigPrevLen) {
    body_.push_back(static_cast<char>(prev_len_));
  } else {
    body_.push_back(static_cast<char>(kBigPrevLen));
    AppendLE(&body_, prev_len_, 4);
  }
  body_.append(encoding_and_data);
  prev_len_ = body_.size() - last_offset_;
  ++count_;
}

void ZiplistBuilder::AppendInt(int64_t v) {
  scratch_.clear();
  const uint64_t u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 12) {
    scratch_.push_back(static_cast<char>(kImmMin + v));
  } else if (v >= INT8_MIN && v <= INT8_MAX) {
    scratch_.push_back(static_cast<char>(kInt8));
    AppendLE(&scratch_, u, 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    scratch_.push_back(static_cast<char>(kInt16));
    AppendLE(&scratch_, u, 2);
  } else if (v >= -8388608 && v <= 8388607) {
    scratch_.push_back(static_cast<char>(kInt24));
    AppendLE(&scratch_, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    scratch_.push_back(static_cast<char>(kInt32));
    AppendLE(&scratch_, u, 4);
  } else {
    scratch_.push_back(static_cast<char>(kInt64));
    AppendLE(&scratch_, u, 8);
  }
  AppendEntry(scratch_);
}

void ZiplistBuilder::Append(std::string_view s) {
  int64_t v;
  // Redis only tries integers for entries shorter than 32 bytes (zipTryEncoding).
  if (s.size() < 32 && ParseStrictInt64(s, &v)) {
    AppendInt(v);
    return;
  }
  scratch_.clear();
  const size_t len = s.size();
  if (len <= 0x3f) {
    scratch_.push_back(static_cast<char>(len));
  } else if (len <= 0x3fff) {
    scratch_.push_back(static_cast<char>(0x40 | (len >> 8)));
    scratch_.push_back(static_cast<char>(len & 0xff));
  } else {
    scratch_.push_back(static_cast<char>(0x80));
    for (int shift = 24; shift >= 0; shift -= 8) {
      scratch_.push_back(static_cast<char>((len >> shift) & 0xff));
    }
  }
  scratch_.append(s);
  AppendEntry(scratch_);
}

std::string ZiplistBuilder::Finish() {
  std::string out;
  out.reserve(kHeaderSize + body_.size() + 1);
  AppendLE(&out, kHeaderSize + body_.size() + 1, 4);
  AppendLE(&out, count_ == 0 ? kHeaderSize : kHeaderSize + last_offset_, 4);
  AppendLE(&out, count_ < kUnknownCount ? count_ : kUnknownCount, 2);
  out.append(body_);
  out.push_back(static_cast<char>(kEnd));
  body_.clear();
  count_ = 0;
  prev_len_ = 0;
  last_offset_ = 0;
  return out;
}

}  // namespace conformance::rdb
