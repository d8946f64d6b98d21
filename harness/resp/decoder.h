// Incremental RESP2/RESP3 decoder. Bytes go in with Feed(); Next() hands out one complete
// value at a time, reports that more bytes are needed, or reports a (sticky) protocol error.
// Consumption is byte-exact, so the replication layer can count stream offsets from
// last_size().
//
// Behaviour worth knowing:
// - A partial value is parsed once: the parse state (an explicit stack, no recursion) survives
//   kNeedMore, and the search for a line end resumes where it stopped.
// - kCommands mode reads what a server reads from a client: a top-level value that does not
//   start with '*' is an inline command line (words split as Redis does), and the elements of
//   a command array must be bulk strings. An empty line ("\n" or "\r\n", a keepalive) is a
//   kInline value with no elements. kReplies mode accepts every RESP2/RESP3 type and also
//   returns a top-level empty line as such a keepalive value, since masters send them before
//   +FULLRESYNC; any other line without a type byte is an error.
// - Null: RESP2 `$-1` / `*-1` decode with is_null set; `_` decodes as Type::kNull.
// - Doubles keep their text in Value::str; verbatim strings keep "fmt:text" in Value::str.
// - RESP3 attributes (`|`) are returned in place as kAttribute values: at the top level as a
//   value of their own, inside an aggregate as an extra element that does not count toward
//   the aggregate's declared length.
// - Not supported: RESP3 streamed strings and aggregates (`$?`, `*?`): a kBadLength error.
// - Integers and lengths follow Redis's strict rules (string2ll): no '+', no leading zeros,
//   no "-0", no spaces.
// - Offsets (error offsets) count bytes passed to Feed() since construction, including bytes
//   later handed over by TakeBuffered().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/resp/value.h"

namespace conformance::resp {

// Nested aggregates deeper than this are refused (real replies nest about 3 deep).
inline constexpr size_t kDefaultMaxDepth = 128;
// Elements one aggregate may declare (a map's pairs count twice).
inline constexpr int64_t kDefaultMaxElements = int64_t{1} << 24;
// Redis's default proto-max-bulk-len.
inline constexpr int64_t kDefaultMaxBulkLength = int64_t{512} << 20;
// Redis's PROTO_INLINE_MAX_SIZE. Also bounds every RESP line (simple strings, errors, numbers,
// headers), measured from its first byte (the type byte) up to its "\r\n" or "\n".
inline constexpr size_t kDefaultMaxInlineLength = size_t{64} << 10;

struct DecoderLimits {
  size_t max_depth = kDefaultMaxDepth;
  int64_t max_elements = kDefaultMaxElements;
  int64_t max_bulk_length = kDefaultMaxBulkLength;
  size_t max_inline_length = kDefaultMaxInlineLength;
};

enum class DecoderMode : uint8_t {
  kReplies,   // what a client reads from a server: every RESP2/RESP3 type
  kCommands,  // what a server reads from a client: command arrays and inline command lines
};

enum class DecodeStatus : uint8_t { kValue, kNeedMore, kError };

struct DecodeError {
  enum class Code : uint8_t {
    kBadTypeByte,       // a value starts with a byte that is no RESP type
    kBadLength,         // a bulk/aggregate length that is not -1 or 0..N, or not a number
    kBadInteger,        // `:` not followed by a 64-bit integer
    kBadDouble,         // `,` not followed by a double, inf, -inf or nan
    kBadBoolean,        // `#` not followed by t or f
    kBadNull,           // `_` followed by text
    kBadBigNumber,      // `(` not followed by digits
    kBadVerbatim,       // `=` payload without its "fmt:" prefix
    kExpectedCRLF,      // a line or payload not terminated by "\r\n"
    kExpectedBulk,      // a command array element that is not a bulk string
    kNotACommand,       // NextArgv met a value that is not a command
    kUnbalancedQuotes,  // an inline command with an unterminated or misplaced quote
    kDepthExceeded,     // DecoderLimits::max_depth
    kTooManyElements,   // DecoderLimits::max_elements
    kBulkTooLong,       // DecoderLimits::max_bulk_length
    kInlineTooLong,     // DecoderLimits::max_inline_length, inline command line
    kLineTooLong,       // DecoderLimits::max_inline_length, RESP line
  };
  Code code = Code::kBadTypeByte;
  std::string message;  // e.g. `Protocol error at offset 17: got "@" as type byte, ...`
  uint64_t offset = 0;  // of the offending byte, counted in bytes passed to Feed()
};

const char* ToString(DecodeError::Code code);

class Decoder {
 public:
  explicit Decoder(DecoderMode mode = DecoderMode::kReplies, DecoderLimits limits = {});

  // Appends bytes to the internal buffer.
  void Feed(std::string_view bytes);
  // Decodes one complete value into *value, or reports need-more, or the (sticky) error.
  DecodeStatus Next(Value* value);
  // Like Next() for commands (an array of bulk strings, an inline line, or a keepalive, which
  // gives an empty argv), without building a Value tree. Reuses the strings in *argv.
  // Anything else is a kNotACommand error.
  DecodeStatus NextArgv(std::vector<std::string>* argv);
  // Wire size in bytes of the value just returned.
  uint64_t last_size() const { return last_size_; }
  // Total bytes consumed by returned values since construction.
  uint64_t consumed() const { return consumed_; }
  // Bytes fed but not yet consumed (including those of a partially parsed value).
  size_t buffered() const { return buffer_.size() - start_; }
  // Hands over the unconsumed bytes and drops any partial parse (used when the stream switches
  // to raw RDB bytes). An error stays sticky.
  std::string TakeBuffered();
  // True once an error was reported; Next() keeps returning kError.
  bool failed() const { return failed_; }
  // The first error; meaningful only when failed().
  const DecodeError& error() const { return error_; }

 private:
  enum class State : uint8_t {
    kTypeByte,  // at the first byte of a value (or of an aggregate's next element)
    kLine,      // after a type byte, looking for the line's '\n'
    kBulkBody,  // inside a length-prefixed payload and its "\r\n"
    kInline,    // inside an inline command line (or a top-level keepalive)
  };
  // What the current parse is building; a call of the other kind restarts the parse.
  enum class Target : uint8_t { kNone, kValue, kArgv };

  // An aggregate being filled.
  struct Frame {
    Value* value;       // nullptr when building argv
    int64_t remaining;  // elements still to come
  };

  // What a parse step did with the line it consumed.
  enum class Step : uint8_t { kError, kContinue, kElement, kAttribute };

  // The state machine; kArgv builds argv_ instead of root_.
  template <bool kArgv>
  DecodeStatus Parse();
  // The Value the next element is written into.
  Value* NewElement();
  // Consumes the type-byte line ending with "\r\n" at buffer_[newline - 1].
  template <bool kArgv>
  Step ParseLine(size_t newline);
  // Consumes an inline command line ending at buffer_[newline]; false on error.
  template <bool kArgv>
  bool ParseInline(size_t newline);
  // Index of the first '\n' at or after `from`, or buffer_.size().
  size_t FindNewline(size_t from) const;
  // Whether the line from cursor_ to `end` (its '\n' if found, else the buffer's end) is known
  // to be longer than max_inline_length, its "\r\n" or "\n" not counted.
  bool LineTooLong(size_t end, bool found) const;
  // Parses a length or count; sets *value and returns true, or reports kBadLength.
  bool ParseLength(std::string_view text, size_t at, const char* what, int64_t* value);
  void FailLength(std::string_view text, size_t at, const char* what);
  // Pops finished aggregates after an element completes; true when the top value is done.
  bool CompleteElement(bool counts);
  void ResetParse();
  // Empties root_ for the next value, keeping its buffers when they are small.
  void RecycleRoot();
  void Compact();
  // Records the sticky error for the byte at buffer_[at].
  DecodeStatus Fail(DecodeError::Code code, size_t at, std::string detail);
  uint64_t OffsetOf(size_t index) const { return buffer_base_ + index; }

  DecoderMode mode_;
  DecoderLimits limits_;

  std::string buffer_;
  uint64_t buffer_base_ = 0;  // stream offset of buffer_[0]
  size_t start_ = 0;          // first byte of the value being parsed
  size_t cursor_ = 0;         // next byte to parse
  size_t scan_ = 0;           // where the search for '\n' resumes

  State state_ = State::kTypeByte;
  Target target_ = Target::kNone;
  char line_type_ = 0;             // type byte of the line or payload being parsed
  int64_t bulk_length_ = 0;        // payload length in kBulkBody
  std::vector<Frame> stack_;       // open aggregates, outermost first
  Value root_;                     // the value being built by Next()
  std::vector<std::string> argv_;  // the command being built by NextArgv()
  size_t argc_ = 0;                // words of argv_ in use

  uint64_t last_size_ = 0;
  uint64_t consumed_ = 0;
  bool failed_ = false;
  DecodeError error_;
};

}  // namespace conformance::resp
