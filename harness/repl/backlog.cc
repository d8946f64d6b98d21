#include "harness/repl/backlog.h"

#include <fmt/format.h>

#include "harness/common/text.h"

#include <algorithm>
#include <cctype>

namespace conformance::repl {

std::string RandomReplid(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(kNoReplid.size(), '0');
  for (char& c : id) c = kHex[rng() & 0xf];
  return id;
}

Backlog::Backlog(size_t capacity, std::string replid, uint64_t offset)
    : ring_(capacity, '\0'), offset_(offset), replid_(std::move(replid)) {}

void Backlog::Append(std::string_view bytes) {
  offset_ += bytes.size();
  const size_t capacity = ring_.size();
  if (capacity == 0) return;
  if (bytes.size() >= capacity) {
    bytes = bytes.substr(bytes.size() - capacity);
    ring_.assign(bytes);
    head_ = 0;
    histlen_ = capacity;
    return;
  }
  const size_t first = std::min(bytes.size(), capacity - head_);
  ring_.replace(head_, first, bytes.substr(0, first));
  ring_.replace(0, bytes.size() - first, bytes.substr(first));
  head_ = (head_ + bytes.size()) % capacity;
  histlen_ = std::min<uint64_t>(capacity, histlen_ + bytes.size());
}

std::optional<std::string> Backlog::From(uint64_t from) const {
  if (!active() || from < first_byte_offset() || from > offset_ + 1) return std::nullopt;
  const size_t length = static_cast<size_t>(offset_ + 1 - from);
  const size_t capacity = ring_.size();
  const size_t start = (head_ + capacity - length) % capacity;
  std::string out;
  out.reserve(length);
  const size_t first = std::min(length, capacity - start);
  out.append(ring_, start, first);
  out.append(ring_, 0, length - first);
  return out;
}

void Backlog::Shift(std::string new_replid) {
  replid2_ = std::move(replid_);
  second_replid_offset_ = static_cast<int64_t>(offset_ + 1);
  replid_ = std::move(new_replid);
}

void Backlog::Reset(std::string replid, uint64_t offset) {
  replid_ = std::move(replid);
  replid2_ = std::string(kNoReplid);
  second_replid_offset_ = -1;
  offset_ = offset;
  head_ = 0;
  histlen_ = 0;
}

const char* ToString(PsyncDecision::Kind kind) {
  switch (kind) {
    case PsyncDecision::Kind::kContinue: return "CONTINUE";
    case PsyncDecision::Kind::kFullResync: return "FULLRESYNC";
  }
  return "unknown";
}

const char* ToString(PsyncDecision::Reason reason) {
  switch (reason) {
    case PsyncDecision::Reason::kAccepted: return "accepted";
    case PsyncDecision::Reason::kForced: return "full resync requested";
    case PsyncDecision::Reason::kReplidMismatch: return "replication id mismatch";
    case PsyncDecision::Reason::kReplid2PastSwitch: return "offset past the replid2 switch";
    case PsyncDecision::Reason::kNoBacklog: return "no backlog";
    case PsyncDecision::Reason::kOffsetBeforeBacklog: return "offset before the backlog";
    case PsyncDecision::Reason::kOffsetAfterBacklog: return "offset after the master offset";
  }
  return "unknown";
}

PsyncDecision Decide(const Backlog& backlog, std::string_view replid, int64_t offset) {
  using Kind = PsyncDecision::Kind;
  using Reason = PsyncDecision::Reason;
  PsyncDecision decision;
  auto refuse = [&](Reason reason, std::string message) {
    decision.kind = Kind::kFullResync;
    decision.reason = reason;
    decision.message = std::move(message);
    return decision;
  };

  const bool is_current = EqualsIgnoreCase(replid, backlog.replid());
  const bool is_previous = EqualsIgnoreCase(replid, backlog.replid2());
  if (!is_current && !(is_previous && offset <= backlog.second_replid_offset())) {
    if (replid.starts_with('?')) return refuse(Reason::kForced, "full resync requested (replid ?)");
    if (!is_previous) {
      return refuse(Reason::kReplidMismatch,
                    fmt::format("replication id mismatch: asked for '{}', ids are '{}' and '{}'",
                                replid, backlog.replid(), backlog.replid2()));
    }
    return refuse(Reason::kReplid2PastSwitch,
                  fmt::format("offset {} for the previous id '{}' is past its switch at {}", offset,
                              replid, backlog.second_replid_offset()));
  }
  if (!backlog.active()) return refuse(Reason::kNoBacklog, "no backlog");
  // Compared as signed: a replica may send any integer, including negative ones.
  const auto first = static_cast<int64_t>(backlog.first_byte_offset());
  const auto end = static_cast<int64_t>(backlog.offset()) + 1;
  if (offset < first) {
    return refuse(
        Reason::kOffsetBeforeBacklog,
        fmt::format("offset {} is before the backlog window [{}, {}]", offset, first, end));
  }
  if (offset > end) {
    return refuse(
        Reason::kOffsetAfterBacklog,
        fmt::format("offset {} is after the backlog window [{}, {}]", offset, first, end));
  }
  decision.kind = Kind::kContinue;
  decision.reason = Reason::kAccepted;
  decision.from = static_cast<uint64_t>(offset);
  decision.message =
      fmt::format("continue from offset {} ({} bytes of backlog)", offset, end - offset);
  return decision;
}

}  // namespace conformance::repl
