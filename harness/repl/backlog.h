// The master's replication history: the current and previous replication ids, the offset of
// the last byte ever fed to replicas, and a bounded ring of the most recent stream bytes. With
// Decide() it is what a master consults to answer PSYNC (replication.c
// masterTryPartialResynchronization; rule M3), also for the previous replid a promoted
// replica keeps.
//
// Offsets follow Redis: offset() is the offset of the LAST byte appended (master_repl_offset);
// the first byte of a fresh history at offset N is N + 1. PSYNC asks for the NEXT byte wanted,
// so the window a replica may continue from is [first_byte_offset(), offset() + 1]; asking for
// offset() + 1 means "nothing missing" and is accepted.
//
// A backlog of capacity 0 stands for "no backlog" (a master that never had a replica): offsets
// still count, but every PSYNC is answered with a full resync.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace conformance::repl {

// Redis's default repl-backlog-size.
inline constexpr size_t kDefaultBacklogCapacity = size_t{1} << 20;
// What INFO shows for an unset replid2.
inline constexpr std::string_view kNoReplid = "0000000000000000000000000000000000000000";

// A fresh 40-character lowercase hex replication id drawn from `rng`.
std::string RandomReplid(std::mt19937_64& rng);

class Backlog {
 public:
  // An empty history `replid` whose last byte is at `offset`.
  explicit Backlog(size_t capacity = kDefaultBacklogCapacity,
                   std::string replid = std::string(kNoReplid), uint64_t offset = 0);

  // Appends stream bytes; offset() grows by bytes.size(). Old bytes fall out of the ring.
  void Append(std::string_view bytes);
  // The bytes from replication offset `from` (the next byte wanted) to offset(); an empty
  // string for offset() + 1; nullopt when `from` is outside [first_byte_offset(), offset() + 1]
  // or there is no backlog.
  std::optional<std::string> From(uint64_t from) const;

  // Offset of the last byte appended (INFO master_repl_offset).
  uint64_t offset() const { return offset_; }
  // Offset of the oldest byte still held; offset() + 1 when none is (INFO
  // repl_backlog_first_byte_offset, which Redis also reports as offset() + 1 when empty).
  uint64_t first_byte_offset() const { return offset_ + 1 - histlen_; }
  // Bytes held (INFO repl_backlog_histlen).
  uint64_t histlen() const { return histlen_; }
  size_t capacity() const { return ring_.size(); }
  bool active() const { return !ring_.empty(); }

  const std::string& replid() const { return replid_; }
  // The previous id, kNoReplid when unset.
  const std::string& replid2() const { return replid2_; }
  // Up to which offset (inclusive, a next-byte-wanted offset) replid2 may be continued;
  // -1 when unset (INFO second_repl_offset).
  int64_t second_replid_offset() const { return second_replid_offset_; }

  // Starts a new history on top of this one, as a promoted replica does (shiftReplicationId):
  // replid2 = replid, second_replid_offset = offset() + 1, replid = new_replid. The bytes
  // held stay valid for both ids.
  void Shift(std::string new_replid);
  // Starts an unrelated history: new replid, replid2 cleared, offset rebased, ring emptied.
  void Reset(std::string replid, uint64_t offset);

 private:
  std::string ring_;  // capacity bytes; the newest byte is just before head_
  size_t head_ = 0;   // where the next byte goes
  uint64_t histlen_ = 0;
  uint64_t offset_;
  std::string replid_;
  std::string replid2_ = std::string(kNoReplid);
  int64_t second_replid_offset_ = -1;
};

struct PsyncDecision {
  enum class Kind : uint8_t { kContinue, kFullResync };
  // Why, in the terms of masterTryPartialResynchronization's log lines.
  enum class Reason : uint8_t {
    kAccepted,           // +CONTINUE
    kForced,             // replid "?": the replica asks for a full sync (not a partial error)
    kReplidMismatch,     // neither replid nor replid2
    kReplid2PastSwitch,  // replid2 matches, but the offset is past second_replid_offset
    kNoBacklog,
    kOffsetBeforeBacklog,  // the bytes wanted already fell out of the ring
    kOffsetAfterBacklog,   // more than offset() + 1: the replica claims bytes never sent
  };
  Kind kind = Kind::kFullResync;
  Reason reason = Reason::kForced;
  // kContinue: the first byte to send (the request's offset).
  uint64_t from = 0;
  // Whether Redis would count it in sync_partial_err (every refusal but "?").
  bool partial_error() const { return kind == Kind::kFullResync && reason != Reason::kForced; }
  // One line for transcripts and verdicts.
  std::string message;
};

const char* ToString(PsyncDecision::Kind kind);
const char* ToString(PsyncDecision::Reason reason);

// The PSYNC rule: continue iff the replid equals replid() (case-insensitively, as Redis
// compares), or equals replid2() with offset <= second_replid_offset(); and the backlog is
// active with first_byte_offset() <= offset <= offset() + 1.
PsyncDecision Decide(const Backlog& backlog, std::string_view replid, int64_t offset);

}  // namespace conformance::repl
