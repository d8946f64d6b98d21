// The Decoder's state machine: one switch over State, an explicit stack of open aggregates,
// and a buffer that is compacted only between values so TakeBuffered() can hand back every
// unconsumed byte.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

#include "harness/common/escape.h"
#include "harness/resp/decoder.h"
#include "harness/resp/inline_args.h"

namespace conformance::resp {
namespace {

using Code = DecodeError::Code;

// The buffer is compacted once this many consumed bytes are also half of it.
constexpr size_t kCompactMinBytes = 4096;
// Elements reserved up front for an aggregate, whatever length its header claims.
constexpr int64_t kMaxElementReserve = 4096;
// Capacity of a returned value's string that the decoder keeps for reuse.
constexpr size_t kMaxRecycledBytes = 64 << 10;
// Payloads at least this long make the buffer reserve room for them (as Redis does for
// big arguments), up to kMaxPayloadReserve, so a peer's header alone cannot claim memory.
constexpr int64_t kPayloadReserveThreshold = 32 << 10;
constexpr int64_t kMaxPayloadReserve = 64 << 20;

constexpr std::string_view kTypeBytes = "+-:$*_#,(!=%~|>";
constexpr size_t kMaxQuotedChars = 64;

constexpr std::array<bool, 256> kIsTypeByte = [] {
  std::array<bool, 256> table{};
  for (char c : kTypeBytes) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool IsTypeByte(char c) { return kIsTypeByte[static_cast<unsigned char>(c)]; }

std::string Quote(std::string_view bytes) {
  return "\"" + EscapeBytes(bytes, kMaxQuotedChars) + "\"";
}

// Redis's strict decimal syntax (string2ll): "0", or an optional '-' followed by a digit 1-9
// and more digits, within int64_t. No '+', no leading zeros, no "-0", no spaces.
inline bool ParseStrictInt64(std::string_view s, int64_t* out) {
  size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  if (i == s.size()) return false;
  if (s[i] == '0') {
    if (s.size() != 1) return false;
    *out = 0;
    return true;
  }
  // Up to 19 digits cannot overflow uint64_t; only longer text needs the overflow check.
  constexpr size_t kSafeDigits = 19;
  if (s.size() - i > kSafeDigits + 1) return false;
  uint64_t v = 0;
  for (const size_t safe_end = std::min(s.size(), i + kSafeDigits); i < safe_end; ++i) {
    const unsigned digit = static_cast<unsigned char>(s[i]) - '0';
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  if (i < s.size()) {
    const unsigned digit = static_cast<unsigned char>(s[i]) - '0';
    if (digit > 9 || v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    v = v * 10 + digit;
  }
  constexpr uint64_t kMaxPositive = std::numeric_limits<int64_t>::max();
  if (negative) {
    if (v > kMaxPositive + 1) return false;
    *out = v == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(v);
  } else {
    if (v > kMaxPositive) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

// RESP3 doubles: [+|-] digits [. digits] [e [+|-] digits], or inf, -inf, nan.
bool ParseDouble(std::string_view s, double* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || s[0] == '+') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool IsBigNumber(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const char* ToString(DecodeError::Code code) {
  switch (code) {
    case Code::kBadTypeByte: return "bad type byte";
    case Code::kBadLength: return "bad length";
    case Code::kBadInteger: return "bad integer";
    case Code::kBadDouble: return "bad double";
    case Code::kBadBoolean: return "bad boolean";
    case Code::kBadNull: return "bad null";
    case Code::kBadBigNumber: return "bad big number";
    case Code::kBadVerbatim: return "bad verbatim string";
    case Code::kExpectedCRLF: return "expected CRLF";
    case Code::kExpectedBulk: return "expected bulk string";
    case Code::kNotACommand: return "not a command";
    case Code::kUnbalancedQuotes: return "unbalanced quotes";
    case Code::kDepthExceeded: return "depth exceeded";
    case Code::kTooManyElements: return "too many elements";
    case Code::kBulkTooLong: return "bulk too long";
    case Code::kInlineTooLong: return "inline too long";
    case Code::kLineTooLong: return "line too long";
  }
  return "unknown decode error";
}

Decoder::Decoder(DecoderMode mode, DecoderLimits limits) : mode_(mode), limits_(limits) {}

void Decoder::Feed(std::string_view bytes) {
  if (bytes.empty()) return;
  Compact();
  buffer_.append(bytes);
}

void Decoder::Compact() {
  if (start_ == 0) return;
  if (start_ != buffer_.size() && (start_ < kCompactMinBytes || start_ < buffer_.size() / 2)) {
    return;
  }
  buffer_.erase(0, start_);
  buffer_base_ += start_;
  cursor_ -= start_;
  scan_ = scan_ >= start_ ? scan_ - start_ : 0;
  start_ = 0;
}

std::string Decoder::TakeBuffered() {
  std::string rest;
  if (start_ == 0) {
    rest = std::move(buffer_);
  } else {
    rest.assign(buffer_, start_);
  }
  buffer_base_ += start_ + rest.size();
  buffer_.clear();
  start_ = 0;
  ResetParse();
  target_ = Target::kNone;
  return rest;
}

void Decoder::ResetParse() {
  cursor_ = start_;
  scan_ = start_;
  state_ = State::kTypeByte;
  stack_.clear();
  root_ = Value();
  argc_ = 0;
}

DecodeStatus Decoder::Next(Value* value) {
  if (failed_) return DecodeStatus::kError;
  if (target_ == Target::kArgv) ResetParse();
  target_ = Target::kValue;
  const DecodeStatus status = Parse<false>();
  if (status == DecodeStatus::kValue) {
    std::swap(*value, root_);
    RecycleRoot();
    target_ = Target::kNone;
  }
  return status;
}

void Decoder::RecycleRoot() {
  // Keeps moderate capacity (the caller's previous value came back in the swap), so the next
  // command reuses its element vector instead of allocating one.
  root_.type = Type::kNull;
  root_.is_null = false;
  root_.integer = 0;
  root_.boolean = false;
  root_.number = 0;
  if (root_.str.capacity() > kMaxRecycledBytes) {
    std::string().swap(root_.str);
  } else {
    root_.str.clear();
  }
  if (root_.elements.capacity() > static_cast<size_t>(kMaxElementReserve)) {
    std::vector<Value>().swap(root_.elements);
  } else {
    root_.elements.clear();
  }
}

DecodeStatus Decoder::NextArgv(std::vector<std::string>* argv) {
  if (failed_) return DecodeStatus::kError;
  if (target_ == Target::kValue) ResetParse();
  target_ = Target::kArgv;
  const DecodeStatus status = Parse<true>();
  if (status == DecodeStatus::kValue) {
    // Swap whole vectors, so the caller's old strings come back to argv_ for reuse.
    argv_.resize(argc_);
    argv->swap(argv_);
    argc_ = 0;
    target_ = Target::kNone;
  }
  return status;
}

[[gnu::cold]] DecodeStatus Decoder::Fail(Code code, size_t at, std::string detail) {
  failed_ = true;
  error_.code = code;
  error_.offset = OffsetOf(at);
  error_.message = fmt::format("Protocol error at offset {}: {}", error_.offset, detail);
  return DecodeStatus::kError;
}

inline Value* Decoder::NewElement() {
  if (stack_.empty()) return &root_;
  return &stack_.back().value->elements.emplace_back();
}

bool Decoder::CompleteElement(bool counts) {
  while (!stack_.empty()) {
    if (!counts) return false;  // an attribute inside an aggregate is not one of its elements
    Frame& top = stack_.back();
    if (--top.remaining > 0) return false;
    counts = top.value == nullptr || top.value->type != Type::kAttribute;
    stack_.pop_back();
  }
  return true;
}

size_t Decoder::FindNewline(size_t from) const {
  // Most lines are short headers ("$5\r\n"): a plain loop beats a memchr call for them.
  const char* data = buffer_.data();
  const size_t size = buffer_.size();
  const size_t quick_end = std::min(size, from + 16);
  for (size_t i = from; i < quick_end; ++i) {
    if (data[i] == '\n') return i;
  }
  if (quick_end == size) return size;
  const void* found = std::memchr(data + quick_end, '\n', size - quick_end);
  return found != nullptr ? static_cast<size_t>(static_cast<const char*>(found) - data) : size;
}

bool Decoder::LineTooLong(size_t end, bool found) const {
  // The length excludes the line ending, so a pending '\r' may be one byte past the limit.
  size_t length = end - cursor_;
  const bool ends_in_cr = length > 0 && buffer_[end - 1] == '\r';
  if (found) return length - (ends_in_cr ? 1 : 0) > limits_.max_inline_length;
  if (length <= limits_.max_inline_length) return false;
  return !(length == limits_.max_inline_length + 1 && ends_in_cr);
}

bool Decoder::ParseLength(std::string_view text, size_t at, const char* what, int64_t* value) {
  if (ParseStrictInt64(text, value) && *value >= -1) [[likely]] {
    return true;
  }
  FailLength(text, at, what);
  return false;
}

void Decoder::FailLength(std::string_view text, size_t at, const char* what) {
  int64_t value = 0;
  if (text == "?") {
    Fail(Code::kBadLength, at,
         fmt::format("streamed RESP3 values ({}) are not supported", Quote(text)));
  } else if (!ParseStrictInt64(text, &value)) {
    Fail(Code::kBadLength, at, fmt::format("invalid {} {}", what, Quote(text)));
  } else {
    Fail(Code::kBadLength, at,
         fmt::format("invalid {} {}, expected -1 or 0..N", what, Quote(text)));
  }
}

template <bool kArgv>
DecodeStatus Decoder::Parse() {
  const size_t size = buffer_.size();
  for (;;) {
    // Set when the parse step finished an element: a leaf, an empty aggregate or a line.
    bool element_done = false;
    bool counts = true;  // false when that element is an attribute
    switch (state_) {
      case State::kTypeByte: {
        if (cursor_ == size) return DecodeStatus::kNeedMore;
        const char c = buffer_[cursor_];
        if (stack_.empty()) {
          if (mode_ == DecoderMode::kCommands && c != '*') {
            state_ = State::kInline;
            scan_ = cursor_;
            continue;
          }
          if (c == '\n' || c == '\r') {  // a keepalive line between replies
            size_t length = 1;
            if (c == '\r') {
              if (cursor_ + 1 == size) return DecodeStatus::kNeedMore;
              if (buffer_[cursor_ + 1] != '\n') {
                return Fail(Code::kExpectedCRLF, cursor_ + 1,
                            fmt::format("got {} after \"\\r\" at the start of a value, "
                                        "expected \"\\n\" (an empty keepalive line)",
                                        Quote(std::string_view(&buffer_[cursor_ + 1], 1))));
              }
              length = 2;
            }
            if constexpr (kArgv) {
              argc_ = 0;
            } else {
              root_.type = Type::kInline;
            }
            cursor_ += length;
            element_done = true;
            break;
          }
          if (kArgv && c != '*') {
            return Fail(Code::kNotACommand, cursor_,
                        fmt::format("got {} as type byte, expected \"*\" (a command)",
                                    Quote(std::string_view(&c, 1))));
          }
        } else if (kArgv || mode_ == DecoderMode::kCommands) {
          if (c != '$') {
            return Fail(Code::kExpectedBulk, cursor_,
                        fmt::format("got {} as type byte of a command argument, expected \"$\"",
                                    Quote(std::string_view(&c, 1))));
          }
        }
        if (!IsTypeByte(c)) {
          return Fail(Code::kBadTypeByte, cursor_,
                      fmt::format("got {} as type byte, expected one of {}",
                                  Quote(std::string_view(&c, 1)), kTypeBytes));
        }
        line_type_ = c;
        scan_ = cursor_ + 1;
        state_ = State::kLine;
        [[fallthrough]];
      }
      case State::kLine: {
        const size_t newline = FindNewline(scan_);
        const bool found = newline != size;
        if (newline - cursor_ > limits_.max_inline_length && LineTooLong(newline, found)) {
          return Fail(Code::kLineTooLong, cursor_,
                      fmt::format("line longer than {} bytes", limits_.max_inline_length));
        }
        if (!found) {
          scan_ = size;
          return DecodeStatus::kNeedMore;
        }
        if (buffer_[newline - 1] != '\r') {
          return Fail(Code::kExpectedCRLF, newline,
                      "got \"\\n\" without \"\\r\" before it, expected \"\\r\\n\"");
        }
        state_ = State::kTypeByte;  // ParseLine switches to kBulkBody when a payload follows
        switch (ParseLine<kArgv>(newline)) {
          case Step::kError: return DecodeStatus::kError;
          case Step::kContinue: break;
          case Step::kElement: element_done = true; break;
          case Step::kAttribute:
            element_done = true;
            counts = false;
            break;
        }
        break;
      }
      case State::kBulkBody: {
        const size_t length = static_cast<size_t>(bulk_length_);
        const size_t available = size - cursor_;
        if (available > length && buffer_[cursor_ + length] != '\r') {
          return Fail(
              Code::kExpectedCRLF, cursor_ + length,
              fmt::format("expected \"\\r\\n\" after a {}-byte payload, got {}", length,
                          Quote(std::string_view(&buffer_[cursor_ + length],
                                                 std::min<size_t>(available - length, 2)))));
        }
        if (available > length + 1 && buffer_[cursor_ + length + 1] != '\n') {
          return Fail(Code::kExpectedCRLF, cursor_ + length + 1,
                      fmt::format("expected \"\\r\\n\" after a {}-byte payload, got {}", length,
                                  Quote(std::string_view(&buffer_[cursor_ + length], 2))));
        }
        if (available < length + 2) return DecodeStatus::kNeedMore;
        const std::string_view payload(buffer_.data() + cursor_, length);
        if constexpr (kArgv) {
          if (argc_ == argv_.size()) argv_.emplace_back();
          argv_[argc_++].assign(payload);
        } else {
          if (line_type_ == '=' && (length < 4 || payload[3] != ':')) {
            return Fail(Code::kBadVerbatim, cursor_,
                        fmt::format("verbatim string {} lacks its 3-byte format and \":\"",
                                    Quote(payload)));
          }
          Value* v = NewElement();
          v->type = static_cast<Type>(line_type_);
          v->str.assign(payload);
        }
        cursor_ += length + 2;
        element_done = true;
        break;
      }
      case State::kInline: {
        const size_t newline = FindNewline(scan_);
        const bool found = newline != size;
        if (newline - cursor_ > limits_.max_inline_length && LineTooLong(newline, found)) {
          return Fail(
              Code::kInlineTooLong, cursor_,
              fmt::format("inline command longer than {} bytes", limits_.max_inline_length));
        }
        if (!found) {
          scan_ = size;
          return DecodeStatus::kNeedMore;
        }
        if (!ParseInline<kArgv>(newline)) return DecodeStatus::kError;
        element_done = true;
        break;
      }
    }
    if (!element_done) continue;
    state_ = State::kTypeByte;
    // Fast path: the innermost aggregate wants more elements.
    if (counts && !stack_.empty() && stack_.back().remaining > 1) {
      --stack_.back().remaining;
      continue;
    }
    if (CompleteElement(counts)) {
      last_size_ = cursor_ - start_;
      consumed_ += last_size_;
      start_ = cursor_;
      return DecodeStatus::kValue;
    }
  }
}

template <bool kArgv>
Decoder::Step Decoder::ParseLine(size_t newline) {
  const size_t at = cursor_ + 1;  // first byte after the type byte
  const std::string_view text(buffer_.data() + at, newline - 1 - at);
  const size_t type_at = cursor_;
  cursor_ = newline + 1;
  switch (line_type_) {
    case '$':
    case '!':
    case '=': {
      int64_t length = 0;
      if (!ParseLength(text, at, "bulk length", &length)) return Step::kError;
      if (length == -1) {
        if (line_type_ != '$' || kArgv || mode_ == DecoderMode::kCommands) {
          Fail(Code::kBadLength, at,
               fmt::format("invalid bulk length {}{}", Quote(text),
                           line_type_ == '$' ? " in a command" : ", only \"$\" may be null"));
          return Step::kError;
        }
        if constexpr (!kArgv) {
          Value* v = NewElement();
          v->type = Type::kBulkString;
          v->is_null = true;
        }
        return Step::kElement;
      }
      if (length > limits_.max_bulk_length) {
        Fail(Code::kBulkTooLong, at,
             fmt::format("bulk length {} exceeds the limit of {} bytes", length,
                         limits_.max_bulk_length));
        return Step::kError;
      }
      bulk_length_ = length;
      state_ = State::kBulkBody;
      if (length >= kPayloadReserveThreshold) {
        const size_t want = cursor_ + std::min(length, kMaxPayloadReserve) + 2;
        if (want > buffer_.capacity()) buffer_.reserve(want);
      }
      return Step::kContinue;
    }
    case '*':
    case '%':
    case '~':
    case '|':
    case '>': {
      int64_t n = 0;
      if (!ParseLength(text, at, "aggregate length", &n)) return Step::kError;
      if (n == -1 && line_type_ != '*') {
        Fail(Code::kBadLength, at,
             fmt::format("invalid aggregate length {}, only \"*\" may be null", Quote(text)));
        return Step::kError;
      }
      if (stack_.size() >= limits_.max_depth) {
        Fail(Code::kDepthExceeded, type_at,
             fmt::format("nesting deeper than the limit of {} aggregates", limits_.max_depth));
        return Step::kError;
      }
      const bool pairs = line_type_ == '%' || line_type_ == '|';
      if (n > (pairs ? limits_.max_elements / 2 : limits_.max_elements)) {
        Fail(Code::kTooManyElements, at,
             fmt::format("aggregate length {}{} exceeds the limit of {} elements", n,
                         pairs ? " pairs" : "", limits_.max_elements));
        return Step::kError;
      }
      const int64_t count = pairs ? n * 2 : n;
      const Step empty = line_type_ == '|' ? Step::kAttribute : Step::kElement;
      if constexpr (kArgv) {
        argc_ = 0;
        if (count <= 0) return empty;
        stack_.push_back(Frame{nullptr, count});
      } else {
        Value* v = NewElement();
        v->type = static_cast<Type>(line_type_);
        if (n == -1) v->is_null = true;
        if (count <= 0) return empty;
        v->elements.reserve(static_cast<size_t>(std::min(count, kMaxElementReserve)));
        stack_.push_back(Frame{v, count});
      }
      return Step::kContinue;
    }
    default: break;
  }
  if constexpr (!kArgv) {
    Value* v = NewElement();
    v->type = static_cast<Type>(line_type_);
    switch (line_type_) {
      case '+':
      case '-': v->str.assign(text); return Step::kElement;
      case ':':
        if (!ParseStrictInt64(text, &v->integer)) {
          Fail(Code::kBadInteger, at, fmt::format("invalid integer {}", Quote(text)));
          return Step::kError;
        }
        return Step::kElement;
      case ',':
        if (!ParseDouble(text, &v->number)) {
          Fail(Code::kBadDouble, at, fmt::format("invalid double {}", Quote(text)));
          return Step::kError;
        }
        v->str.assign(text);
        return Step::kElement;
      case '#':
        if (text != "t" && text != "f") {
          Fail(Code::kBadBoolean, at,
               fmt::format("invalid boolean {}, expected \"t\" or \"f\"", Quote(text)));
          return Step::kError;
        }
        v->boolean = text == "t";
        return Step::kElement;
      case '_':
        if (!text.empty()) {
          Fail(Code::kBadNull, at,
               fmt::format("got {} after \"_\", expected \"\\r\\n\"", Quote(text)));
          return Step::kError;
        }
        return Step::kElement;
      case '(':
        if (!IsBigNumber(text)) {
          Fail(Code::kBadBigNumber, at, fmt::format("invalid big number {}", Quote(text)));
          return Step::kError;
        }
        v->str.assign(text);
        return Step::kElement;
      default: break;
    }
  }
  // Unreachable: kTypeByte admits only the type bytes handled above.
  Fail(Code::kBadTypeByte, type_at, "internal error: unhandled type byte");
  return Step::kError;
}

template <bool kArgv>
bool Decoder::ParseInline(size_t newline) {
  size_t end = newline;
  if (end > cursor_ && buffer_[end - 1] == '\r') --end;
  const std::string_view line(buffer_.data() + cursor_, end - cursor_);
  size_t error_at = 0;
  // argv_ doubles as scratch space for the words when building a Value.
  const long words = SplitInlineArgs(line, &argv_, &error_at);
  if (words < 0) {
    Fail(Code::kUnbalancedQuotes, cursor_ + error_at,
         fmt::format("unbalanced quotes in inline command {}", Quote(line)));
    return false;
  }
  if constexpr (kArgv) {
    argc_ = static_cast<size_t>(words);
  } else {
    root_.type = Type::kInline;
    root_.elements.reserve(static_cast<size_t>(words));
    for (long i = 0; i < words; ++i) {
      root_.elements.push_back(Value::Bulk(std::move(argv_[i])));
    }
  }
  cursor_ = newline + 1;
  return true;
}

}  // namespace conformance::resp
