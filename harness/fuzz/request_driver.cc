#include "harness/fuzz/request_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "harness/common/escape.h"
#include "harness/net/connection.h"
#include "harness/repl/rdb_transfer.h"
#include "harness/resp/decoder.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using net::Awaitable;

constexpr const char* kChannel = "fuzz-replica";
// Bytes of a received chunk shown in the transcript (a snapshot is mostly noise).
constexpr size_t kShownBytes = 256;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Whether a request (filled) is a sync request: its command decodes as PSYNC or SYNC.
bool IsSyncRequest(const std::string& bytes) {
  resp::Decoder decoder(resp::DecoderMode::kCommands);
  decoder.Feed(bytes);
  std::vector<std::string> argv;
  if (decoder.NextArgv(&argv) != resp::DecodeStatus::kValue || argv.empty()) return false;
  const std::string command = Lower(argv[0]);
  return command == "psync" || command == "sync";
}

// What the fake replica makes of the master's bytes: replies to its requests, then the
// answer to the sync, the snapshot and the stream.
class MasterReader {
 public:
  // `has_sync`: whether a sync request is sent at all, after `replies_before_sync` others.
  MasterReader(bool has_sync, size_t replies_before_sync, bool sync_is_psync)
      : has_sync_(has_sync), replies_before_sync_(replies_before_sync), sync_is_psync_(sync_is_psync) {}

  void Feed(std::string_view bytes) {
    if (state_ == State::kReplies) {
      decoder_.Feed(bytes);
      DecodeReplies();
    } else if (state_ == State::kPayload) {
      FeedPayload(bytes);
    }
  }
  bool sync_answered() const { return state_ != State::kReplies; }
  // Replies to the requests before the sync, all read.
  bool handshake_answered() const { return replies_ >= replies_before_sync_ || sync_answered(); }
  bool snapshot_done() const { return state_ == State::kStream; }
  bool sync_refused() const { return refused_; }
  const std::string& sync_answer() const { return sync_answer_; }

 private:
  enum class State : uint8_t { kReplies, kPayload, kStream };

  void DecodeReplies() {
    while (state_ == State::kReplies) {
      if (has_sync_ && replies_ == replies_before_sync_ && !sync_is_psync_) {
        // SYNC is answered by the payload itself.
        sync_answer_ = "(a payload)";
        StartPayload();
        return;
      }
      resp::Value reply;
      if (decoder_.Next(&reply) != resp::DecodeStatus::kValue) return;
      const std::string text = reply.ToString();
      const bool simple = reply.type == resp::Type::kSimpleString;
      if (simple && (reply.str.rfind("FULLRESYNC", 0) == 0 || reply.str.rfind("CONTINUE", 0) == 0)) {
        sync_answer_ = "+" + reply.str;
        if (reply.str.rfind("FULLRESYNC", 0) == 0) {
          StartPayload();
        } else {
          state_ = State::kStream;
        }
        return;
      }
      if (++replies_ > replies_before_sync_ && has_sync_ && sync_is_psync_) {
        sync_answer_ = text;  // an error, or something no correct master sends
        refused_ = reply.type == resp::Type::kError;
        state_ = State::kStream;
      }
    }
  }
  void StartPayload() {
    state_ = State::kPayload;
    const std::string rest = decoder_.TakeBuffered();
    FeedPayload(rest);
  }
  void FeedPayload(std::string_view bytes) {
    auto fed = transfer_.Feed(bytes, [](std::string_view) { return OkStatus(); });
    if (!fed.ok() || transfer_.done()) state_ = State::kStream;
  }

  const bool has_sync_;
  const size_t replies_before_sync_;
  const bool sync_is_psync_;
  State state_ = State::kReplies;
  resp::Decoder decoder_{resp::DecoderMode::kReplies};
  repl::RdbTransfer transfer_;
  size_t replies_ = 0;
  std::string sync_answer_;
  bool refused_ = false;
};

// Reads until `done()` holds, the link closes (false), the deadline passes or, when `quiet` is
// set, the master is silent that long.
template <typename Done>
Awaitable<bool> ReadUntil(net::Connection& link, MasterReader& reader, Clock::time_point deadline,
                          net::Duration quiet, Done done, Transcript& transcript) {
  while (!done() && Clock::now() < deadline) {
    std::string chunk;
    const auto left = std::chrono::duration_cast<net::Duration>(deadline - Clock::now());
    const net::Duration wait = quiet.count() > 0 ? std::min(left, quiet) : left;
    Status read = co_await link.ReadSome(&chunk, std::max(wait, net::Duration(1)));
    if (read.ok()) {
      transcript.Frame(kChannel, Direction::kReceived, link.bytes_received() - chunk.size(), chunk.size(),
                       "raw \"" + EscapeBytes(chunk, kShownBytes) + "\"");
      reader.Feed(chunk);
      continue;
    }
    if (read.error().kind != ErrorKind::kTimeout) co_return false;
    if (quiet.count() > 0) break;  // the master has said what it had to say
  }
  co_return true;
}

// An offset as a lenient reader takes it (a sign, digits, nothing else); nullopt otherwise.
std::optional<int64_t> Offset(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

bool ServesReplid(const MasterPosition& position, const std::string& replid, int64_t offset) {
  if (!position.replid.empty() && replid == position.replid) return true;
  return !position.replid2.empty() && replid == position.replid2 && offset <= position.second_offset;
}

}  // namespace

std::optional<std::string> ContinuedOutsideWindow(const RequestsResult& result) {
  if (result.sync_answer.rfind("+CONTINUE", 0) != 0 || !result.before || !result.after) return std::nullopt;
  resp::Decoder decoder(resp::DecoderMode::kCommands);
  decoder.Feed(result.sync_sent);
  std::vector<std::string> argv;
  if (decoder.NextArgv(&argv) != resp::DecodeStatus::kValue || argv.size() < 3) return std::nullopt;
  const std::optional<int64_t> offset = Offset(argv[2]);
  if (!offset) return std::nullopt;
  const MasterPosition& before = *result.before;
  const MasterPosition& after = *result.after;
  // The window at either end of the exchange: a write or a PING between the two reads moves
  // the master on, and a request either position allows is no violation.
  if (!ServesReplid(before, argv[1], *offset) && !ServesReplid(after, argv[1], *offset)) {
    return "answered +CONTINUE to a PSYNC whose replid is neither its own nor its previous one "
           "within second_repl_offset";
  }
  if (!before.backlog && !after.backlog) return "answered +CONTINUE to a PSYNC without a backlog";
  const int64_t first = std::min(before.backlog_first, after.backlog_first);
  const int64_t next = std::max(before.offset, after.offset) + 1;
  if (*offset < first || *offset > next) {
    return "answered +CONTINUE to a PSYNC whose offset lies outside its backlog";
  }
  return std::nullopt;
}

Awaitable<Result<MasterPosition>> ReadMasterPosition(server::Admin& admin) {
  auto info = co_await admin.Info("replication");
  if (!info.ok()) co_return info.error();
  MasterPosition position;
  const std::optional<int64_t> offset = info->GetInt("master_repl_offset");
  if (!offset) co_return Error{"INFO replication has no master_repl_offset", ErrorKind::kUnsupported};
  position.offset = *offset;
  position.backlog_first = info->GetInt("repl_backlog_first_byte_offset").value_or(0);
  position.second_offset = info->GetInt("second_repl_offset").value_or(-1);
  position.backlog = info->GetInt("repl_backlog_active").value_or(1) != 0;
  position.replid2 = info->Get("master_replid2").value_or("");
  if (auto replid = info->Get("master_replid")) {
    position.replid = *replid;
  } else {
    auto server_info = co_await admin.Info("server");  // before replids, PSYNC names the run id
    if (!server_info.ok()) co_return server_info.error();
    position.replid = server_info->Get("run_id").value_or("");
  }
  co_return position;
}

Awaitable<RequestsResult> DriveRequests(const std::string& host, uint16_t port, server::Admin& admin,
                                        const std::vector<std::string>& requests,
                                        const std::vector<std::string>& write_after_sync,
                                        const RequestTimeouts& timeouts, Transcript& transcript) {
  RequestsResult result;
  if (auto before = co_await ReadMasterPosition(admin); before.ok()) result.before = *before;
  const MasterPosition position = result.before.value_or(MasterPosition{});
  std::vector<std::string> filled;
  for (const std::string& request : requests) filled.push_back(FillPlaceholders(request, position));
  size_t sync_at = filled.size();
  for (size_t i = 0; i < filled.size(); ++i) {
    if (IsSyncRequest(filled[i])) {
      sync_at = i;
      break;
    }
  }
  bool sync_is_psync = false;
  if (sync_at < filled.size()) {
    result.sync_sent = filled[sync_at];
    resp::Decoder decoder(resp::DecoderMode::kCommands);
    decoder.Feed(filled[sync_at]);
    std::vector<std::string> argv;
    sync_is_psync = decoder.NextArgv(&argv) == resp::DecodeStatus::kValue && Lower(argv[0]) == "psync";
  }
  auto connected = co_await net::Connection::Connect(host, port, timeouts.connect, kChannel, &transcript);
  if (!connected.ok()) {
    transcript.Note(kChannel, "could not connect to the master: " + connected.message());
    co_return result;
  }
  net::Connection& link = **connected;
  MasterReader reader(sync_at < filled.size(), sync_at, sync_is_psync);
  // A master answers PSYNC only with no replies pending ("invalid with pending output"), so
  // the sync waits for the answers to the requests before it, as a replica's would.
  auto send = [&](size_t begin, size_t end) -> Awaitable<bool> {
    std::string bytes;
    for (size_t i = begin; i < end && i < filled.size(); ++i) bytes += filled[i];
    if (bytes.empty()) co_return true;
    transcript.Frame(kChannel, Direction::kSent, link.bytes_sent(), bytes.size(), "raw \"" + EscapeBytes(bytes) + "\"");
    co_return (co_await link.Write(bytes, timeouts.connect)).ok();
  };
  const auto settle_deadline = [&] { return Clock::now() + timeouts.settle; };
  bool open = co_await send(0, sync_at);
  if (open) {
    open = co_await ReadUntil(link, reader, settle_deadline(), timeouts.quiet,
                              [&] { return reader.handshake_answered(); }, transcript);
  }
  if (open && sync_at < filled.size()) {
    open = co_await send(sync_at, sync_at + 1);
    if (open) {
      open = co_await ReadUntil(link, reader, settle_deadline(), net::Duration(0),
                                [&] { return reader.snapshot_done() || reader.sync_refused(); }, transcript);
    }
  }
  result.sync_answer = reader.sync_answer();
  if (open && reader.sync_answered() && !write_after_sync.empty()) {
    std::vector<std::string> write = write_after_sync;
    (void)co_await admin.Call(std::move(write));
  }
  if (open && sync_at + 1 >= filled.size()) {
    // Nothing follows: a little silence shows whether the master keeps the link.
    open = co_await ReadUntil(link, reader, settle_deadline(), timeouts.quiet, [] { return false; }, transcript);
  } else if (open) {
    // The ACKs name the offset the master reached after the sync and the write.
    if (auto now = co_await ReadMasterPosition(admin); now.ok()) {
      for (size_t i = sync_at + 1; i < filled.size(); ++i) filled[i] = FillPlaceholders(requests[i], *now);
    }
    open = co_await send(sync_at + 1, filled.size());
    if (open) open = co_await ReadUntil(link, reader, settle_deadline(), timeouts.quiet, [] { return false; }, transcript);
  }
  if (!reader.sync_answered()) {
    result.reaction = open ? Reaction::kUndecided : Reaction::kRefusedInHandshake;
  } else if (reader.sync_refused() || !open) {
    result.reaction = Reaction::kRefused;
  } else {
    result.reaction = Reaction::kAccepted;
  }
  link.Close();
  transcript.Note(kChannel, fmt::format("the master {} (its answer to the sync: {})", ToString(result.reaction),
                                        result.sync_answer.empty() ? "none" : result.sync_answer));
  if (auto after = co_await ReadMasterPosition(admin); after.ok()) result.after = *after;
  co_return result;
}

}  // namespace conformance::fuzz
