// Internal to the RDB codec: reads RDB primitives (lengths, strings with their integer and
// LZF encodings, doubles, fixed-width integers) from a window of contiguous bytes.
//
// Every read either succeeds, or fails because the window ends too early (short input: the
// caller rewinds to the start of the unit it was reading and waits until needed_end() bytes
// exist), or fails for good (an error naming the absolute offset). Reads return bool so a
// unit reads as a chain of `if (!c.Read...) return false;`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/rdb/limits.h"

namespace conformance::rdb {

class Cursor {
 public:
  Cursor(std::string_view window, uint64_t base_offset, const ReaderLimits* limits)
      : data_(window), base_(base_offset), limits_(limits) {}

  size_t pos() const { return pos_; }
  // Absolute offset of the next byte (bytes before the window count too).
  uint64_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  std::string_view window() const { return data_; }
  const ReaderLimits& limits() const { return *limits_; }

  // Moves back to a unit's start after a short read (the error, if any, stays).
  void Rewind(size_t pos) { pos_ = pos; }

  // The last failed read ran out of bytes (and was no error).
  bool short_input() const { return !error_ && needed_end_ != 0; }
  // Absolute offset up to which bytes must be present for the failed read to succeed.
  uint64_t needed_end() const { return needed_end_; }
  void ClearShortInput() { needed_end_ = 0; }
  bool has_error() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

  // Records an error "RDB offset <at>: <message>"; always returns false.
  bool Fail(uint64_t at, std::string_view message);
  // Records a short read needing n more bytes from the current position; returns false.
  bool Short(uint64_t n);

  bool Take(size_t n, std::string_view* out);
  bool Byte(uint8_t* out);
  bool FixedLE(int bytes, uint64_t* out);
  // A length as rdbLoadLen reads it; *encoded says it was a 11xxxxxx special encoding.
  bool Length(uint64_t* len, bool* encoded);
  // A plain length that counts elements (at most limits().max_elements); `what` names it.
  bool Count(uint64_t* n, std::string_view what);
  // A plain length that is a number, not a count (ids, times, sizes): no limit.
  bool Number(uint64_t* n, std::string_view what);
  // A string: raw, integer-encoded (returned in decimal) or LZF.
  bool String(std::string* out, std::string_view what);
  // A string that may be used in place: *view points into the window for raw strings, or into
  // *storage when the string had to be decoded.
  bool Blob(std::string* storage, std::string_view* view, std::string_view what);
  // A score of the old zset type: length byte + "%.17g" text, or 253/254/255.
  bool TextDouble(double* out);
  bool BinaryDouble(double* out);
  bool BinaryFloat(float* out);

 private:
  // Reads a string's length prefix; exactly one of *int_value / *lzf / plain length results.
  bool StringHeader(uint64_t* len, std::optional<int64_t>* int_value, bool* lzf, uint64_t* ulen,
                    std::string_view what);

  std::string_view data_;
  size_t pos_ = 0;
  uint64_t base_ = 0;
  const ReaderLimits* limits_;
  uint64_t needed_end_ = 0;
  std::optional<Error> error_;
};

// Parses a double as Redis prints scores: decimal, "inf", "-inf", "+inf" (no NaN).
bool ParseScore(std::string_view text, double* out);

}  // namespace conformance::rdb
