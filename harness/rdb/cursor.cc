#include "harness/rdb/cursor.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/lzf_codec.h"
#include "harness/rdb/opcodes.h"

namespace conformance::rdb {

bool Cursor::Fail(uint64_t at, std::string_view message) {
  if (!error_) error_ = Error{fmt::format("RDB offset {}: {}", at, message), ErrorKind::kProtocol};
  return false;
}

bool Cursor::Short(uint64_t n) {
  needed_end_ = offset() + n;
  return false;
}

bool Cursor::Take(size_t n, std::string_view* out) {
  if (n > remaining()) return Short(n);
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Cursor::Byte(uint8_t* out) {
  if (remaining() < 1) return Short(1);
  *out = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool Cursor::FixedLE(int bytes, uint64_t* out) {
  if (remaining() < static_cast<size_t>(bytes)) return Short(static_cast<uint64_t>(bytes));
  *out = LoadLE(reinterpret_cast<const unsigned char*>(data_.data() + pos_), bytes);
  pos_ += static_cast<size_t>(bytes);
  return true;
}

bool Cursor::Length(uint64_t* len, bool* encoded) {
  if (remaining() < 1) return Short(1);
  const auto* p = reinterpret_cast<const unsigned char*>(data_.data() + pos_);
  const uint8_t b = p[0];
  *encoded = false;
  switch (b >> 6) {
    case kLen6Bit:
      *len = b & 0x3f;
      pos_ += 1;
      return true;
    case kLen14Bit:
      if (remaining() < 2) return Short(2);
      *len = (uint64_t{b & 0x3fu} << 8) | p[1];
      pos_ += 2;
      return true;
    case kLenEncVal:
      *encoded = true;
      *len = b & 0x3f;
      pos_ += 1;
      return true;
    default: break;
  }
  if (b == kLen32Bit || b == kLen64Bit) {
    const size_t width = b == kLen32Bit ? 4 : 8;
    if (remaining() < 1 + width) return Short(1 + width);
    uint64_t v = 0;
    for (size_t i = 1; i <= width; ++i) v = (v << 8) | p[i];  // big-endian
    *len = v;
    pos_ += 1 + width;
    return true;
  }
  return Fail(offset(), fmt::format("bad length encoding byte 0x{:02x}", b));
}

bool Cursor::Count(uint64_t* n, std::string_view what) {
  const uint64_t at = offset();
  bool encoded;
  if (!Length(n, &encoded)) return false;
  if (encoded) {
    return Fail(
        at, fmt::format("expected a length for {}, got string encoding 0x{:02x}", what, 0xC0 | *n));
  }
  if (*n > limits_->max_elements) {
    return Fail(at, fmt::format("{} is {}, more than the limit of {} elements", what, *n,
                                limits_->max_elements));
  }
  return true;
}

bool Cursor::Number(uint64_t* n, std::string_view what) {
  const uint64_t at = offset();
  bool encoded;
  if (!Length(n, &encoded)) return false;
  if (encoded) {
    return Fail(
        at, fmt::format("expected a number for {}, got string encoding 0x{:02x}", what, 0xC0 | *n));
  }
  return true;
}

bool Cursor::StringHeader(uint64_t* len, std::optional<int64_t>* int_value, bool* lzf,
                          uint64_t* ulen, std::string_view what) {
  const uint64_t at = offset();
  bool encoded;
  if (!Length(len, &encoded)) return false;
  *lzf = false;
  if (!encoded) {
    if (*len > limits_->max_string_length) {
      return Fail(at, fmt::format("{} is {} bytes long, more than the limit of {}", what, *len,
                                  limits_->max_string_length));
    }
    return true;
  }
  switch (static_cast<StringEncoding>(*len)) {
    case StringEncoding::kInt8:
    case StringEncoding::kInt16:
    case StringEncoding::kInt32: {
      const int width = *len == 0 ? 1 : *len == 1 ? 2 : 4;
      uint64_t raw;
      if (!FixedLE(width, &raw)) return false;
      *int_value = SignExtend(raw, 8 * width);
      return true;
    }
    case StringEncoding::kLzf: {
      uint64_t clen;
      if (!Number(&clen, "LZF compressed length") || !Number(ulen, "LZF uncompressed length")) {
        return false;
      }
      if (clen > limits_->max_string_length || *ulen > limits_->max_string_length) {
        return Fail(at, fmt::format("LZF {} of {} compressed / {} uncompressed bytes exceeds the "
                                    "limit of {}",
                                    what, clen, *ulen, limits_->max_string_length));
      }
      if (clen == 0 || *ulen == 0) {
        return Fail(at, fmt::format("LZF {} with a zero length ({} compressed, {} uncompressed)",
                                    what, clen, *ulen));
      }
      *len = clen;
      *lzf = true;
      return true;
    }
  }
  return Fail(at, fmt::format("unknown string encoding 0x{:02x} for {}", 0xC0 | *len, what));
}

bool Cursor::Blob(std::string* storage, std::string_view* view, std::string_view what) {
  const uint64_t at = offset();
  uint64_t len, ulen = 0;
  std::optional<int64_t> int_value;
  bool lzf;
  if (!StringHeader(&len, &int_value, &lzf, &ulen, what)) return false;
  if (int_value) {
    *storage = Int64ToString(*int_value);
    *view = *storage;
    return true;
  }
  std::string_view bytes;
  if (!Take(static_cast<size_t>(len), &bytes)) return false;
  if (!lzf) {
    *view = bytes;
    return true;
  }
  auto out = LzfDecompress(bytes, static_cast<size_t>(ulen));
  if (!out.ok()) return Fail(at, fmt::format("{}: {}", what, out.message()));
  *storage = std::move(out).value();
  *view = *storage;
  return true;
}

bool Cursor::String(std::string* out, std::string_view what) {
  const uint64_t at = offset();
  uint64_t len, ulen = 0;
  std::optional<int64_t> int_value;
  bool lzf;
  if (!StringHeader(&len, &int_value, &lzf, &ulen, what)) return false;
  if (int_value) {
    *out = Int64ToString(*int_value);
    return true;
  }
  std::string_view bytes;
  if (!Take(static_cast<size_t>(len), &bytes)) return false;
  if (!lzf) {
    out->assign(bytes);
    return true;
  }
  auto res = LzfDecompress(bytes, static_cast<size_t>(ulen));
  if (!res.ok()) return Fail(at, fmt::format("{}: {}", what, res.message()));
  *out = std::move(res).value();
  return true;
}

bool Cursor::TextDouble(double* out) {
  const uint64_t at = offset();
  uint8_t len;
  if (!Byte(&len)) return false;
  switch (len) {
    case kDoubleNan: *out = std::numeric_limits<double>::quiet_NaN(); return true;
    case kDoublePosInf: *out = std::numeric_limits<double>::infinity(); return true;
    case kDoubleNegInf: *out = -std::numeric_limits<double>::infinity(); return true;
    default: break;
  }
  std::string_view text;
  if (!Take(len, &text)) return false;
  if (!ParseScore(text, out)) {
    return Fail(at, fmt::format("bad double text \"{}\"", text));
  }
  return true;
}

bool Cursor::BinaryDouble(double* out) {
  uint64_t raw;
  if (!FixedLE(8, &raw)) return false;
  std::memcpy(out, &raw, sizeof(*out));
  return true;
}

bool Cursor::BinaryFloat(float* out) {
  uint64_t raw;
  if (!FixedLE(4, &raw)) return false;
  const uint32_t r32 = static_cast<uint32_t>(raw);
  std::memcpy(out, &r32, sizeof(*out));
  return true;
}

bool ParseScore(std::string_view text, double* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  if (text == "inf" || text == "Inf" || text == "infinity") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-inf" || text == "-Inf" || text == "-infinity") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  double v = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size()) return false;
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

}  // namespace conformance::rdb
