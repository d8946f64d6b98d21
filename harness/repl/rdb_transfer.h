// The framing of an RDB transfer on the replication link, without I/O: optional keepalive
// newlines, then "$<len>\r\n" followed by exactly len payload bytes (no CRLF), or
// "$EOF:<40-byte mark>\r\n" followed by the payload and the same mark (diskless).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::repl {

inline constexpr size_t kEofMarkLength = 40;
inline constexpr size_t kDefaultMaxPreambleLine = 1024;

class RdbTransfer {
 public:
  enum class Framing : uint8_t { kUnknown, kLength, kEofMark };
  using PayloadSink = std::function<Status(std::string_view payload)>;

  explicit RdbTransfer(size_t max_preamble_line = kDefaultMaxPreambleLine);

  // Consumes bytes of the transfer and passes payload bytes to `sink` as soon as they are known
  // to be payload. Returns how many bytes of `bytes` belong to the transfer; once done(), the
  // rest is the command stream.
  Result<size_t> Feed(std::string_view bytes, const PayloadSink& sink);

  bool done() const { return state_ == State::kDone; }
  bool in_payload() const { return state_ == State::kPayload; }
  Framing framing() const { return framing_; }
  // Payload bytes passed to the sink so far.
  uint64_t payload_bytes() const { return payload_bytes_; }
  // The announced payload size ($<len> framing only).
  std::optional<uint64_t> expected_size() const { return expected_size_; }
  // Keepalive newlines skipped before the "$" line.
  size_t keepalives() const { return keepalives_; }
  // The "$..." line as received, without CRLF.
  const std::string& preamble() const { return preamble_; }
  const std::string& eof_mark() const { return eof_mark_; }

 private:
  enum class State : uint8_t { kPreamble, kPayload, kDone };

  Result<size_t> FeedPreamble(std::string_view bytes);
  Result<size_t> FeedLengthPayload(std::string_view bytes, const PayloadSink& sink);
  Result<size_t> FeedMarkPayload(std::string_view bytes, const PayloadSink& sink);

  const size_t max_preamble_line_;
  State state_ = State::kPreamble;
  Framing framing_ = Framing::kUnknown;
  std::string line_;
  std::string preamble_;
  std::string eof_mark_;
  std::string held_back_;  // EOF framing: bytes that may be the start of the mark
  std::optional<uint64_t> expected_size_;
  uint64_t payload_bytes_ = 0;
  size_t keepalives_ = 0;
};

const char* ToString(RdbTransfer::Framing framing);

}  // namespace conformance::repl
