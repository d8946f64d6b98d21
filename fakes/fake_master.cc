#include "fakes/fake_master.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "harness/common/escape.h"
#include "harness/net/timeout.h"
#include "harness/repl/master_rdb.h"
#include "harness/resp/encoder.h"

namespace conformance::fakes {

using Clock = std::chrono::steady_clock;
using repl::ReplicaCommand;
using repl::ReplicaCommandKind;
using Framing = repl::RdbTransfer::Framing;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether argv starts with the words of `name` ("" matches everything).
bool Matches(const std::vector<std::string>& argv, const std::string& name) {
  std::istringstream words(name);
  std::string word;
  size_t i = 0;
  while (words >> word) {
    if (i >= argv.size() || !EqualsIgnoreCase(argv[i], word)) return false;
    ++i;
  }
  return true;
}

std::string Describe(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    out += EscapeBytes(arg, 64);
    if (out.size() > 200) return out + " ...";
  }
  return out;
}

Error WithContext(const Error& error, const std::string& context) {
  return Error{context + ": " + error.message, error.kind};
}

}  // namespace

FakeMaster::FakeMaster(FakeMasterOptions options, Transcript* transcript)
    : options_(std::move(options)),
      transcript_(transcript),
      rng_(options_.seed),
      handshake_(repl::MasterHandshakeOptions{options_.password, options_.user,
                                              options_.require_ping_first, options_.dialect}),
      backlog_(options_.backlog_capacity,
               options_.replid.empty() ? repl::RandomReplid(rng_) : options_.replid,
               options_.offset),
      model_(options_.model),
      snapshot_offset_(options_.offset),
      sent_up_to_(options_.offset) {
  if (options_.password) transcript_->AddSecret(*options_.password);
}

FakeMaster::~FakeMaster() {
  link_.reset();
  if (listener_) listener_->Close();
}

Status FakeMaster::Listen(asio::any_io_executor executor) {
  auto listener = net::Listener::Bind(std::move(executor), options_.host, options_.port);
  if (!listener.ok()) return listener.error();
  listener_ = std::move(listener).value();
  transcript_->Note(options_.channel,
                    fmt::format("fake master listens on {}:{} (replid {}, offset {})",
                                options_.host, listener_->port(), replid(), offset()));
  return OkStatus();
}

uint16_t FakeMaster::port() const { return listener_ ? listener_->port() : 0; }

bool FakeMaster::connected() const { return link_ && link_->connected(); }

const std::vector<repl::ReplicaCommand>& FakeMaster::received() const {
  static const std::vector<repl::ReplicaCommand> kNone;
  return link_ ? link_->received() : kNone;
}

// --- The link ---

Awaitable<Status> FakeMaster::Accept(std::optional<Duration> timeout) {
  if (!listener_) co_return Error{"the fake master does not listen: call Listen() first"};
  if (connected()) Disconnect();
  auto link = co_await CommandLink::Accept(*listener_, Timeout(timeout), options_.channel, transcript_,
                                           options_.faults, options_.timeout);
  if (!link.ok()) co_return link.error();
  link_ = std::move(link).value();
  handshake_ = repl::MasterHandshake(
      repl::MasterHandshakeOptions{options_.password, options_.user, options_.require_ping_first,
                                   options_.dialect});
  state_ = LinkState::kHandshake;
  held_mark_.clear();
  last_sync_.reset();
  ++stats_.connections;
  co_return OkStatus();
}

void FakeMaster::Disconnect() {
  if (!connected()) return;
  transcript_->Note(options_.channel,
                    fmt::format("fake master closes the link at offset {}", offset()));
  link_->Close();
}

void FakeMaster::CutAfterMoreSent(uint64_t bytes, net::CutAction action) {
  if (link_) link_->CutAfterMoreSent(bytes, action);
}

Awaitable<Status> FakeMaster::ExpectClose(std::optional<Duration> timeout) {
  if (!connected()) co_return OkStatus();
  co_return co_await link_->ExpectClose(Timeout(timeout));
}

// --- Reading ---

net::Wait FakeMaster::StartWait(std::optional<Duration> timeout) const {
  return link_ ? link_->StartWait(Timeout(timeout)) : net::Wait(Timeout(timeout), 0);
}

Awaitable<Result<ReplicaCommand>> FakeMaster::ReadCommand(const net::Wait& wait) {
  if (!connected()) co_return Error{"the fake master has no link to a replica", ErrorKind::kClosed};
  auto command = co_await link_->ReadCommand(wait);
  if (command.ok() && command->kind == ReplicaCommandKind::kKeepalive) ++stats_.keepalives_received;
  co_return command;
}

Awaitable<Result<std::vector<std::string>>> FakeMaster::ExpectCommand(
    std::string name, std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(timeout);
  const bool wants_ack = Matches({"REPLCONF", "ACK"}, name) && !name.empty();
  while (true) {
    auto command = co_await ReadCommand(wait);
    if (!command.ok()) {
      co_return Error{
          fmt::format("Expected: {}, received: nothing ({}; frames seen: {})",
                      name.empty() ? "a command" : name, command.message(), FramesSeen()),
          command.error().kind};
    }
    if (command->kind == ReplicaCommandKind::kKeepalive) continue;
    if (command->kind == ReplicaCommandKind::kAck && !wants_ack) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await OnAck(*command));
      continue;
    }
    if (!Matches(command->argv, name)) {
      co_return Error{fmt::format("Expected: {}, received: {} (frames seen: {})", name,
                                  command->Describe(), FramesSeen()),
                      ErrorKind::kProtocol};
    }
    if (command->kind == ReplicaCommandKind::kAck) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await OnAck(*command));
    }
    if (command->sync) last_sync_ = command->sync;
    co_return command->argv;
  }
}

Awaitable<Status> FakeMaster::Write(std::string_view bytes, std::string description) {
  if (!connected()) co_return Error{"the fake master has no link to a replica", ErrorKind::kClosed};
  co_return co_await link_->Write(bytes, std::move(description));
}

Awaitable<Status> FakeMaster::Reply(std::string raw) {
  co_return co_await Write(raw, "\"" + EscapeBytes(raw) + "\"");
}

Awaitable<Result<repl::SyncRequest>> FakeMaster::AnswerHandshake(std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(timeout);
  while (true) {
    auto command = co_await ReadCommand(wait);
    if (!command.ok()) {
      co_return Error{fmt::format("handshake: Expected: {}, received: nothing ({}; frames seen: "
                                  "{})",
                                  handshake_.Expected(), command.message(), FramesSeen()),
                      command.error().kind};
    }
    const repl::HandshakeStep step = handshake_.OnCommand(*command);
    std::optional<std::string> reply = step.reply;
    auto override = options_.bugs.handshake_reply_overrides.find(repl::ToString(command->kind));
    if (override != options_.bugs.handshake_reply_overrides.end()) reply = override->second;
    if (reply && !reply->empty()) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await Write(*reply, EscapeBytes(*reply)));
    }
    if (step.violation) {
      stats_.violations.push_back({step.violated_rule, *step.violation});
      co_return Error{fmt::format("handshake: {} (frames seen: {})", *step.violation, FramesSeen()),
                      ErrorKind::kProtocol};
    }
    if (step.sync_requested) {
      last_sync_ = command->sync;
      co_return *command->sync;
    }
  }
}

Awaitable<Status> FakeMaster::OnAck(const ReplicaCommand& command) {
  if (!command.ack) {
    co_return Error{fmt::format("malformed REPLCONF ACK: {} ({})", command.Describe(),
                                command.malformed.value_or("no offset")),
                    ErrorKind::kProtocol};
  }
  acks_.push_back(*command.ack);
  if (command.ack->offset > offset()) {
    co_return Error{fmt::format("the replica acknowledged offset {}, beyond the master's offset {}",
                                command.ack->offset, offset()),
                    ErrorKind::kProtocol};
  }
  if (state_ == LinkState::kAwaitingAck) {
    transcript_->Note(options_.channel, "first REPLCONF ACK after the $EOF transfer: streaming");
    state_ = LinkState::kStreaming;
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await Flush());
  }
  co_return OkStatus();
}

Awaitable<Result<uint64_t>> FakeMaster::WaitForAck(uint64_t at_least,
                                                   std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(timeout);
  while (true) {
    auto command = co_await ReadCommand(wait);
    if (!command.ok()) {
      co_return Error{
          fmt::format("waiting for REPLCONF ACK >= {} (last ACK: {}): {}", at_least,
                      acks_.empty() ? std::string("none") : std::to_string(acks_.back().offset),
                      command.message()),
          command.error().kind};
    }
    if (command->kind == ReplicaCommandKind::kKeepalive) continue;
    if (command->kind != ReplicaCommandKind::kAck) {
      co_return Error{fmt::format("Expected: REPLCONF ACK, received: {} (a replica must send "
                                  "nothing else on the link; frames seen: {})",
                                  command->Describe(), FramesSeen()),
                      ErrorKind::kProtocol};
    }
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await OnAck(*command));
    if (command->ack->offset >= at_least) co_return command->ack->offset;
  }
}

// --- Answering PSYNC / SYNC ---

Awaitable<Status> FakeMaster::SendFullResync(std::optional<std::string> new_replid,
                                             std::optional<uint64_t> new_offset) {
  if ((new_replid && *new_replid != replid()) || (new_offset && *new_offset != offset())) {
    backlog_.Reset(new_replid.value_or(replid()), new_offset.value_or(offset()));
    transcript_->Note(options_.channel,
                      fmt::format("new history: replid {}, offset {}", replid(), offset()));
  }
  snapshot_offset_ = offset();
  sent_up_to_ = snapshot_offset_;
  selector_.ForceSelect();
  state_ = LinkState::kTransfer;
  const MasterBugs& bugs = options_.bugs;
  if (bugs.skip_fullresync_line) {
    transcript_->Note(options_.channel, "bug: no +FULLRESYNC line");
    co_return OkStatus();
  }
  const std::string line = bugs.fullresync_override.value_or(
      fmt::format("+FULLRESYNC {} {}", replid(), snapshot_offset_));
  co_return co_await Write(line + "\r\n", line);
}

Awaitable<Status> FakeMaster::SendRdb(keyspace::Keyspace model, RdbSendOptions options) {
  model_ = std::move(model);
  co_return co_await SendRdb(std::move(options));
}

Awaitable<Status> FakeMaster::SendRdb(RdbSendOptions options) {
  if (state_ != LinkState::kTransfer) {
    // SYNC (or a scenario that skipped +FULLRESYNC): the snapshot is taken now.
    snapshot_offset_ = offset();
    sent_up_to_ = snapshot_offset_;
    selector_.ForceSelect();
    state_ = LinkState::kTransfer;
  }
  const MasterBugs& bugs = options_.bugs;
  const int stream_db = options.repl_stream_db.value_or(db_);
  std::string payload;
  if (bugs.rdb_payload_override) {
    payload = *bugs.rdb_payload_override;
  } else {
    repl::RdbBuildOptions build;
    build.writer.version = options.rdb_version;
    build.writer.encoding = options.encoding;
    build.writer.compress_strings = options.compress_strings;
    if (options.repl_aux) {
      build.repl_stream_db = stream_db;
      build.repl_id = options.repl_id.value_or(replid());
      build.repl_offset = options.repl_offset.value_or(static_cast<int64_t>(snapshot_offset_));
    }
    auto rdb = repl::BuildRdb(model_, build);
    if (!rdb.ok()) co_return WithContext(rdb.error(), "building the RDB");
    payload = std::move(rdb).value();
  }
  // The replica's master client starts in repl-stream-db (O9); the model follows it.
  model_.Select(options.repl_aux ? stream_db : 0);
  if (bugs.skip_select_after_full_sync) selector_.set_stream_db(options.repl_aux ? stream_db : 0);
  const uint64_t full_size = payload.size();
  if (bugs.flip_rdb_byte_at) {
    const int64_t size = static_cast<int64_t>(payload.size());
    const int64_t at = *bugs.flip_rdb_byte_at >= 0 ? *bugs.flip_rdb_byte_at : size + *bugs.flip_rdb_byte_at;
    if (at >= 0 && at < size) payload[at] = static_cast<char>(~payload[at]);
  }
  const bool truncated = bugs.truncate_rdb_at && *bugs.truncate_rdb_at < payload.size();
  if (truncated) payload.resize(*bugs.truncate_rdb_at);

  std::string preamble;
  std::string trailer;
  if (options.framing == Framing::kEofMark) {
    const std::string mark = options.eof_mark.value_or(repl::RandomEofMark(rng_));
    preamble = repl::EofPreamble(mark);
    trailer = mark;
    if (bugs.wrong_eof_mark && !trailer.empty()) trailer.back() = trailer.back() == '0' ? '1' : '0';
  } else {
    const int64_t announced = static_cast<int64_t>(full_size) + bugs.rdb_length_delta;
    preamble = repl::LengthPreamble(static_cast<uint64_t>(std::max<int64_t>(0, announced)));
  }
  const bool glue = options.framing == Framing::kEofMark && bugs.glue_stream_to_mark;
  std::string bytes = preamble + payload;
  if (!glue) bytes += trailer;
  if (options.cut) {
    CutAfterMoreSent(
        preamble.size() + static_cast<uint64_t>(options.cut->fraction * double(payload.size())),
        options.cut->action);
  }
  const std::string description = fmt::format(
      "{} RDB v{}: {} of {} payload bytes, {} keys{}{}", repl::ToString(options.framing),
      options.rdb_version, payload.size(), full_size, model_.size(),
      bugs.rdb_payload_override ? " (payload overridden)" : "", truncated ? " (truncated)" : "");
  Status written = co_await Write(bytes, description);
  if (!written.ok()) {
    if (options.cut && written.error().kind == ErrorKind::kFault) {
      link_->Close();
      co_return OkStatus();
    }
    co_return written;
  }
  ++stats_.full_syncs;
  if (truncated && options.framing == Framing::kLength) {
    transcript_->Note(options_.channel, "bug: the RDB stops short of its announced length");
    co_return OkStatus();  // the transfer never completes: the stream stays held
  }
  if (glue) {
    held_mark_ = trailer;
    state_ = LinkState::kStreaming;
    transcript_->Note(options_.channel, "bug: the EOF mark waits to be glued to the stream");
    co_return co_await Flush();
  }
  state_ = options.framing == Framing::kEofMark ? LinkState::kAwaitingAck : LinkState::kStreaming;
  co_return co_await Flush();
}

Awaitable<Status> FakeMaster::SendContinue(std::optional<std::string> new_replid) {
  if (!last_sync_ || last_sync_->is_sync) {
    co_return Error{"+CONTINUE needs a PSYNC on this link"};
  }
  const int64_t from = last_sync_->offset;
  if (from < 0 || !backlog_.From(static_cast<uint64_t>(from))) {
    co_return Error{fmt::format("cannot continue from offset {}: the backlog holds [{}, {}]", from,
                                backlog_.first_byte_offset(), offset() + 1)};
  }
  if (new_replid) {
    backlog_.Shift(*new_replid);
    transcript_->Note(options_.channel,
                      fmt::format("shifted replid: {} (replid2 {} up to {})", replid(), replid2(),
                                  backlog_.second_replid_offset()));
  }
  const bool with_id = new_replid || handshake_.announce().HasCapability("psync2");
  const std::string line = options_.bugs.continue_override.value_or(
      with_id ? "+CONTINUE " + replid() : std::string("+CONTINUE"));
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await Write(line + "\r\n", line));
  sent_up_to_ = static_cast<uint64_t>(from) - 1;
  state_ = LinkState::kStreaming;
  ++stats_.partial_syncs;
  co_return co_await Flush();
}

Awaitable<Result<repl::PsyncDecision>> FakeMaster::AnswerSync(repl::SyncRequest request,
                                                              RdbSendOptions options) {
  last_sync_ = request;
  repl::PsyncDecision decision = repl::Decide(backlog_, request.replid, request.offset);
  transcript_->Note(options_.channel,
                    fmt::format("PSYNC {} {}: {} ({})", request.replid, request.offset,
                                repl::ToString(decision.kind), decision.message));
  if (!request.is_sync && decision.kind == repl::PsyncDecision::Kind::kContinue) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendContinue());
    co_return decision;
  }
  if (!request.is_sync) CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendFullResync());
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendRdb(std::move(options)));
  co_return decision;
}

Awaitable<Status> FakeMaster::SendKeepalives(int count, Duration interval) {
  if (state_ == LinkState::kStreaming) {
    transcript_->Note(options_.channel,
                      "keepalive newlines mid-stream: a replica counts them in its offset (O11)");
  }
  for (int i = 0; i < count; ++i) {
    if (i > 0 && interval.count() > 0) co_await net::Pause(interval);
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await Write("\n", "keepalive \"\\n\""));
    ++stats_.keepalives_sent;
  }
  co_return OkStatus();
}

// --- The stream ---

Awaitable<Status> FakeMaster::AppendStream(std::string bytes, std::string description) {
  const uint64_t at = offset() + 1;
  backlog_.Append(bytes);
  ++stats_.commands_propagated;
  const bool live =
      connected() && state_ != LinkState::kHandshake && state_ != LinkState::kTransfer;
  transcript_->Frame(options_.channel, Direction::kSent, at, bytes.size(),
                     fmt::format("@{} +{} {}{}", at, bytes.size(), description,
                                 live ? "" : " (held in the backlog)"));
  if (state_ == LinkState::kAwaitingAck && connected()) {
    // M11: Redis installs the write handler on the first ACK; wait for it here.
    auto ack = co_await WaitForAck(0);
    if (!ack.ok()) co_return WithContext(ack.error(), "waiting for the first ACK after $EOF");
  }
  co_return co_await Flush();
}

Awaitable<Status> FakeMaster::Flush() {
  if (!connected() || state_ != LinkState::kStreaming) co_return OkStatus();
  if (sent_up_to_ == offset()) co_return OkStatus();  // a held mark waits for stream bytes
  auto bytes = backlog_.From(sent_up_to_ + 1);
  if (!bytes) {
    co_return Error{
        fmt::format("the link is at offset {} but the backlog only holds [{}, {}]: "
                    "increase backlog_capacity",
                    sent_up_to_, backlog_.first_byte_offset(), offset())};
  }
  std::string description = fmt::format("stream [{}, {}]", sent_up_to_ + 1, offset());
  if (!held_mark_.empty()) {
    transcript_->Note(options_.channel, "bug: the EOF mark goes out glued to the stream");
  }
  std::string out = std::move(held_mark_) + *bytes;
  held_mark_.clear();
  if (options_.bugs.inline_garbage_after_command && !garbage_sent_) {
    const std::string& garbage = *options_.bugs.inline_garbage_after_command;
    transcript_->Note(options_.channel,
                      fmt::format("bug: inline garbage \"{}\" after offset {} (not counted)",
                                  EscapeBytes(garbage), offset()));
    out += garbage;
    garbage_sent_ = true;
  }
  sent_up_to_ = offset();
  Status written = co_await link_->WriteUnrecorded(out);
  if (!written.ok()) co_return WithContext(written.error(), "writing " + description);
  co_return OkStatus();
}

Awaitable<Status> FakeMaster::Propagate(std::vector<std::string> argv) {
  if (argv.empty()) co_return Error{"Propagate: empty command"};
  if (EqualsIgnoreCase(argv[0], "select")) {
    int db = -1;
    if (argv.size() == 2) {
      auto [end, ec] = std::from_chars(argv[1].data(), argv[1].data() + argv[1].size(), db);
      if (ec != std::errc() || end != argv[1].data() + argv[1].size()) db = -1;
    }
    if (db < 0 || db >= model_.databases()) {
      co_return Error{fmt::format("Propagate: {} is no database of the model", Describe(argv))};
    }
    db_ = db;
    co_return OkStatus();
  }
  std::vector<std::vector<std::string>> plan = selector_.Plan(db_, argv);
  std::string bytes;
  std::string description;
  for (size_t i = 0; i + 1 < plan.size(); ++i) {  // the SELECT
    model_.Apply(plan[i]);
    resp::AppendCommand(&bytes, plan[i]);
    description += Describe(plan[i]) + "; ";
  }
  const keyspace::ApplyResult result = model_.Apply(argv);
  const bool failed_exec =
      result.status == keyspace::ApplyStatus::kError && EqualsIgnoreCase(argv[0], "exec");
  if (!result.ok() && !failed_exec) {
    if (!bytes.empty()) CONFORMANCE_CO_RETURN_IF_ERROR(co_await AppendStream(bytes, description));
    co_return Error{fmt::format("Propagate: the model refuses {} ({}: {}); not sent",
                                Describe(argv), keyspace::ToString(result.status), result.message)};
  }
  if (failed_exec) stats_.model_errors.push_back(result.message);
  resp::AppendCommand(&bytes, argv);
  description += Describe(argv);
  co_return co_await AppendStream(std::move(bytes), description);
}

Awaitable<Status> FakeMaster::PropagateUnmodelled(std::vector<std::string> argv) {
  if (argv.empty()) co_return Error{"PropagateUnmodelled: empty command"};
  std::vector<std::vector<std::string>> plan = selector_.Plan(db_, argv);
  std::string bytes;
  std::string description;
  for (size_t i = 0; i < plan.size(); ++i) {
    // The SELECT still reaches the model, which must follow the stream's database.
    if (i + 1 < plan.size()) model_.Apply(plan[i]);
    resp::AppendCommand(&bytes, plan[i]);
    if (!description.empty()) description += "; ";
    description += Describe(plan[i]);
  }
  stats_.unmodelled.push_back(Describe(argv));
  co_return co_await AppendStream(std::move(bytes), description + " (unmodelled)");
}

Awaitable<Status> FakeMaster::Transaction(std::vector<std::vector<std::string>> commands) {
  // Named vectors: GCC 12 rejects a braced list inside a co_await expression.
  std::vector<std::string> multi = {"MULTI"};
  std::vector<std::string> exec = {"EXEC"};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await Propagate(std::move(multi)));
  for (auto& command : commands)
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await Propagate(std::move(command)));
  co_return co_await Propagate(std::move(exec));
}

Awaitable<Status> FakeMaster::SendPing() {
  co_return co_await AppendStream(std::string(repl::kStreamPing), "ping");
}

Awaitable<Status> FakeMaster::SendGetAck() {
  co_return co_await AppendStream(std::string(repl::kStreamGetAck), "REPLCONF GETACK *");
}

Awaitable<Status> FakeMaster::SendStreamBytes(std::string bytes, std::string description) {
  co_return co_await AppendStream(std::move(bytes), description + " (raw)");
}

}  // namespace conformance::fakes
