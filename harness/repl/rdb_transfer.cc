#include "harness/repl/rdb_transfer.h"

#include <fmt/format.h>

#include <charconv>

#include "harness/common/escape.h"

namespace conformance::repl {

const char* ToString(RdbTransfer::Framing framing) {
  switch (framing) {
    case RdbTransfer::Framing::kUnknown: return "unknown";
    case RdbTransfer::Framing::kLength: return "$<len> (disk)";
    case RdbTransfer::Framing::kEofMark: return "$EOF:<mark> (diskless)";
  }
  return "unknown";
}

RdbTransfer::RdbTransfer(size_t max_preamble_line) : max_preamble_line_(max_preamble_line) {}

Result<size_t> RdbTransfer::Feed(std::string_view bytes, const PayloadSink& sink) {
  size_t used = 0;
  while (used < bytes.size() && state_ != State::kDone) {
    Result<size_t> step = state_ == State::kPreamble ? FeedPreamble(bytes.substr(used))
                          : framing_ == Framing::kLength
                              ? FeedLengthPayload(bytes.substr(used), sink)
                              : FeedMarkPayload(bytes.substr(used), sink);
    if (!step.ok()) return step.error();
    used += *step;
  }
  // A zero-length payload is complete as soon as its preamble is.
  if (state_ == State::kPayload && framing_ == Framing::kLength && expected_size_ == 0) {
    state_ = State::kDone;
  }
  return used;
}

Result<size_t> RdbTransfer::FeedPreamble(std::string_view bytes) {
  const size_t newline = bytes.find('\n');
  const size_t take = newline == std::string_view::npos ? bytes.size() : newline + 1;
  line_.append(bytes.substr(0, take));
  if (line_.size() > max_preamble_line_) {
    return Error{fmt::format("RDB preamble line longer than {} bytes: \"{}\"", max_preamble_line_,
                             EscapeBytes(line_, 80)),
                 ErrorKind::kProtocol};
  }
  if (newline == std::string_view::npos) return take;

  std::string_view line(line_);
  line.remove_suffix(1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.empty()) {  // a keepalive newline while the master prepares the snapshot
    ++keepalives_;
    line_.clear();
    return take;
  }
  preamble_ = std::string(line);
  line_.clear();
  line = preamble_;  // line_ is reused for the next line; parse the kept copy
  if (line.starts_with("$EOF:")) {
    const std::string_view mark = line.substr(5);
    if (mark.size() != kEofMarkLength) {
      return Error{fmt::format("EOF mark must be {} bytes, got {}: \"{}\"", kEofMarkLength,
                               mark.size(), EscapeBytes(preamble_)),
                   ErrorKind::kProtocol};
    }
    framing_ = Framing::kEofMark;
    eof_mark_ = std::string(mark);
    state_ = State::kPayload;
    return take;
  }
  if (line.starts_with('$')) {
    uint64_t size = 0;
    const std::string_view digits = line.substr(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      return Error{fmt::format("bad RDB length line \"{}\"", EscapeBytes(preamble_)),
                   ErrorKind::kProtocol};
    }
    framing_ = Framing::kLength;
    expected_size_ = size;
    state_ = size == 0 ? State::kDone : State::kPayload;
    return take;
  }
  return Error{fmt::format("expected \"$<len>\" or \"$EOF:<mark>\" before the RDB, got \"{}\"",
                           EscapeBytes(preamble_)),
               ErrorKind::kProtocol};
}

Result<size_t> RdbTransfer::FeedLengthPayload(std::string_view bytes, const PayloadSink& sink) {
  const uint64_t left = *expected_size_ - payload_bytes_;
  const size_t take = static_cast<size_t>(std::min<uint64_t>(left, bytes.size()));
  CONFORMANCE_RETURN_IF_ERROR(sink(bytes.substr(0, take)));
  payload_bytes_ += take;
  if (payload_bytes_ == *expected_size_) state_ = State::kDone;
  return take;
}

Result<size_t> RdbTransfer::FeedMarkPayload(std::string_view bytes, const PayloadSink& sink) {
  // The mark may straddle reads, so the last kEofMarkLength - 1 bytes are held back until the
  // next read shows whether they start the mark.
  const size_t held = held_back_.size();
  held_back_.append(bytes);
  const size_t mark_at = held_back_.find(eof_mark_);
  if (mark_at != std::string::npos) {
    CONFORMANCE_RETURN_IF_ERROR(sink(std::string_view(held_back_).substr(0, mark_at)));
    payload_bytes_ += mark_at;
    state_ = State::kDone;
    const size_t used = mark_at + kEofMarkLength - held;
    held_back_.clear();
    return used;
  }
  const size_t keep = std::min(held_back_.size(), kEofMarkLength - 1);
  const size_t release = held_back_.size() - keep;
  CONFORMANCE_RETURN_IF_ERROR(sink(std::string_view(held_back_).substr(0, release)));
  payload_bytes_ += release;
  held_back_.erase(0, release);
  return bytes.size();
}

}  // namespace conformance::repl
