#include "harness/repl/dragonfly_journal.h"

#include <fmt/format.h>

#include "harness/rdb/cursor.h"
#include "harness/rdb/limits.h"
#include "harness/rdb/value_encoder.h"

namespace conformance::repl::dragonfly {

namespace {

// The legacy COMMAND field that once counted shards, now always 1.
constexpr uint64_t kShardCount = 1;
// Bytes kept before the unread part of the buffer is moved to its front.
constexpr size_t kCompactAt = 64 * 1024;

bool CarriesCommand(JournalOp op) {
  return op == JournalOp::kCommand || op == JournalOp::kExpired || op == JournalOp::kMultiCommand;
}

// A packed unsigned integer; the 11xxxxxx form reads as x (ReadPackedUInt).
bool Packed(rdb::Cursor& cursor, uint64_t* value) {
  bool encoded = false;
  return cursor.Length(value, &encoded);
}

// The payload of a COMMAND (after its opcode).
bool ReadCommand(rdb::Cursor& cursor, JournalRecord* record) {
  uint64_t shards = 0;
  uint64_t count = 0;
  uint64_t total = 0;
  if (!Packed(cursor, &record->txid) || !Packed(cursor, &shards) || !Packed(cursor, &count) ||
      !Packed(cursor, &total)) {
    return false;
  }
  if (count == 0) return cursor.Fail(cursor.offset(), "a journal command with no strings");
  if (count > cursor.limits().max_elements) return cursor.Fail(cursor.offset(), "a journal command with too many strings");
  record->argv.clear();
  record->argv.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t length = 0;
    if (!Packed(cursor, &length)) return false;
    if (length > total) {
      return cursor.Fail(cursor.offset(), fmt::format("a journal string of {} bytes where {} remain of the "
                                                      "command's announced size",
                                                      length, total));
    }
    total -= length;
    std::string_view bytes;
    if (!cursor.Take(static_cast<size_t>(length), &bytes)) return false;
    record->argv.emplace_back(bytes);
  }
  return true;
}

}  // namespace

const char* ToString(JournalOp op) {
  switch (op) {
    case JournalOp::kNoop: return "NOOP";
    case JournalOp::kSelect: return "SELECT";
    case JournalOp::kExpired: return "EXPIRED";
    case JournalOp::kCommand: return "COMMAND";
    case JournalOp::kMultiCommand: return "MULTI_COMMAND";
    case JournalOp::kExec: return "EXEC";
    case JournalOp::kPing: return "PING";
    case JournalOp::kFin: return "FIN";
    case JournalOp::kLsn: return "LSN";
  }
  return "?";
}

bool JournalRecord::TakesLsn() const { return CarriesCommand(op) || op == JournalOp::kPing; }

std::string EncodeCommand(uint64_t db, uint64_t txid, const std::vector<std::string>& argv) {
  std::string out;
  rdb::AppendLength(&out, static_cast<uint64_t>(JournalOp::kSelect));
  rdb::AppendLength(&out, db);
  rdb::AppendLength(&out, static_cast<uint64_t>(JournalOp::kCommand));
  rdb::AppendLength(&out, txid);
  rdb::AppendLength(&out, kShardCount);
  rdb::AppendLength(&out, argv.size());
  uint64_t total = 0;
  for (const std::string& arg : argv) total += arg.size();
  rdb::AppendLength(&out, total);
  for (const std::string& arg : argv) {
    rdb::AppendLength(&out, arg.size());
    out += arg;
  }
  return out;
}

std::string EncodePing() {
  std::string out;
  rdb::AppendLength(&out, static_cast<uint64_t>(JournalOp::kPing));
  return out;
}

std::string EncodeLsn(uint64_t lsn) {
  std::string out;
  rdb::AppendLength(&out, static_cast<uint64_t>(JournalOp::kLsn));
  rdb::AppendLength(&out, lsn);
  return out;
}

void JournalReader::Feed(std::string_view bytes) {
  if (start_ >= kCompactAt) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<JournalRecord>> JournalReader::Next() {
  if (error_) return *error_;
  const rdb::ReaderLimits limits;
  rdb::Cursor cursor(std::string_view(buffer_).substr(start_), consumed_, &limits);
  JournalRecord record;
  record.db = db_;
  uint64_t db = db_;
  while (true) {
    uint64_t op = 0;
    if (!Packed(cursor, &op)) break;
    if (op == static_cast<uint64_t>(JournalOp::kSelect)) {
      if (!Packed(cursor, &db)) break;
      record.db = db;
      continue;  // SELECT and the record after it are one item
    }
    record.op = static_cast<JournalOp>(op);
    bool complete = false;
    switch (record.op) {
      case JournalOp::kCommand:
      case JournalOp::kExpired:
      case JournalOp::kMultiCommand: complete = ReadCommand(cursor, &record); break;
      case JournalOp::kLsn: complete = Packed(cursor, &record.lsn); break;
      case JournalOp::kPing:
      case JournalOp::kExec:
      case JournalOp::kNoop:
      case JournalOp::kFin: complete = true; break;
      default:
        cursor.Fail(cursor.offset() - 1, fmt::format("unknown journal opcode {}", op));
        break;
    }
    if (!complete) break;
    record.size = cursor.pos();
    start_ += cursor.pos();
    consumed_ += cursor.pos();
    db_ = db;
    return std::optional<JournalRecord>(std::move(record));
  }
  if (cursor.has_error()) {
    error_ = Error{"journal: " + cursor.error().message, ErrorKind::kProtocol};
    return *error_;
  }
  return std::optional<JournalRecord>();  // the record goes on in bytes not yet fed
}

Status FlowLsn::OnRecord(const JournalRecord& record, bool executed) {
  if (record.op == JournalOp::kLsn) {
    // The LSN of the record just before it: the counter minus one (tx_executor.cc).
    if (record.lsn + 1 != next_) {
      return Error{fmt::format("journal LSN record says {}, but the records so far make it {}", record.lsn,
                               next_ - 1),
                   ErrorKind::kProtocol};
    }
    return OkStatus();
  }
  if (record.op == JournalOp::kPing || (CarriesCommand(record.op) && executed)) ++next_;
  return OkStatus();
}

}  // namespace conformance::repl::dragonfly
