// Dragonfly's journal, without I/O: the records a master streams on each flow in stable sync
// (and wraps in JOURNAL_BLOB opcodes during a full sync), and the per-flow LSN accounting a
// replica keeps (journal/serializer.cc JournalWriter::Write, JournalReader::ReadEntry;
// journal/types.h; replica.cc, journal/tx_executor.cc).
//
// Every number is an RDB-style packed unsigned integer. A record is one opcode byte then:
//   SELECT 06 <db>                 the database of the records that follow (folded in here)
//   COMMAND 0A <txid> <1> <count> <total bytes> then <len><bytes> per string
//   PING 0D, LSN 0F <lsn>          (LSN records come from the streamer and consume no LSN)
// EXPIRED (9) and MULTI_COMMAND (11) carry a COMMAND's payload; EXEC (12), NOOP (0) and FIN
// (14) none (written by releases before 1.21, 1.24 and 1.38).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"

namespace conformance::repl::dragonfly {

enum class JournalOp : uint8_t {
  kNoop = 0,
  kSelect = 6,
  kExpired = 9,
  kCommand = 10,
  kMultiCommand = 11,
  kExec = 12,
  kPing = 13,
  kFin = 14,
  kLsn = 15,
};
const char* ToString(JournalOp op);

struct JournalRecord {
  JournalOp op = JournalOp::kNoop;
  uint64_t db = 0;       // the database the record runs in (a SELECT before it folded in)
  uint64_t txid = 0;     // COMMAND and its kin
  uint64_t lsn = 0;      // LSN: the value it carries
  std::vector<std::string> argv;  // COMMAND and its kin: the command and its arguments
  uint64_t size = 0;     // wire bytes, the SELECT before it included

  // Whether the record takes one of the shard's LSNs: COMMAND and PING (and the legacy
  // command kinds); SELECT folds into the next record and LSN records take none.
  bool TakesLsn() const;
};

// One journal item as a master's fresh writer serializes it: SELECT <db>, then the command.
std::string EncodeCommand(uint64_t db, uint64_t txid, const std::vector<std::string>& argv);
std::string EncodePing();
std::string EncodeLsn(uint64_t lsn);

// Reads records from a stream fed in any pieces. Next() returns a record, nullopt when the
// bytes end inside one (feed more), or the error that stops the stream (sticky).
class JournalReader {
 public:
  void Feed(std::string_view bytes);
  Result<std::optional<JournalRecord>> Next();
  uint64_t db() const { return db_; }
  // Bytes consumed by the records returned so far.
  uint64_t consumed() const { return consumed_; }

 private:
  std::string buffer_;
  size_t start_ = 0;
  uint64_t consumed_ = 0;
  uint64_t db_ = 0;
  std::optional<Error> error_;
};

// A replica's count on one flow (journal_rec_executed_): the next LSN it expects, which is
// what it acknowledges. It starts at JOURNAL_OFFSET after a full sync (or at the LSN a
// partial sync continued from), moves by one per executed COMMAND and per PING, and checks
// each LSN record against itself.
class FlowLsn {
 public:
  explicit FlowLsn(uint64_t next) : next_(next) {}
  // `executed`: whether the command ran (a failed execution takes no LSN on the replica).
  Status OnRecord(const JournalRecord& record, bool executed = true);
  uint64_t next() const { return next_; }

 private:
  uint64_t next_;
};

}  // namespace conformance::repl::dragonfly
