#include "fakes/fake_replica.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/common/escape.h"
#include "harness/rdb/reader.h"
#include "harness/repl/model_loader.h"
#include "harness/rules/ids.h"
#include "harness/resp/decoder.h"
#include "harness/resp/encoder.h"

namespace conformance::fakes {

using Clock = std::chrono::steady_clock;
using repl::StreamCommand;

namespace {

constexpr size_t kMaxLine = 64 * 1024;

std::string Describe(const std::vector<std::string>& argv) {
  return resp::Value::Command(argv).ToString();
}

}  // namespace

const char* ToString(AckPolicy policy) {
  switch (policy) {
    case AckPolicy::kNever: return "never";
    case AckPolicy::kOnGetAck: return "on-getack";
    case AckPolicy::kPeriodic: return "periodic";
    case AckPolicy::kLagging: return "lagging";
  }
  return "unknown";
}

namespace {

// A replica's model: it keeps keys whose expiry is already past until the master's DEL, and
// RESTORE payloads are decoded by the harness's own RDB reader.
keyspace::KeyspaceOptions ReplicaModelOptions() {
  keyspace::KeyspaceOptions options;
  options.role = keyspace::Role::kReplica;
  options.dump_decoder = [](std::string_view payload) { return rdb::DecodeDumpPayload(payload); };
  return options;
}

}  // namespace

FakeReplica::FakeReplica(FakeReplicaOptions options, Transcript* transcript)
    : options_(std::move(options)), transcript_(transcript), model_(ReplicaModelOptions()) {
  if (options_.password) transcript_->AddSecret(*options_.password);
}

FakeReplica::~FakeReplica() = default;

Awaitable<Status> FakeReplica::Connect() {
  pending_.clear();
  auto connection = co_await net::Connection::Connect(options_.host, options_.port,
                                                      options_.timeout, options_.channel,
                                                      transcript_, options_.faults);
  if (!connection.ok()) co_return connection.error();
  connection_ = std::move(connection).value();
  co_return OkStatus();
}

void FakeReplica::Disconnect() {
  if (!connection_) return;
  transcript_->Note(options_.channel, "fake replica closes the link");
  connection_->Close();
  connection_.reset();
  pending_.clear();
  // A partially received command or MULTI is dropped; the stream resumes at the applied offset.
  if (in_multi_) model_.Apply({"DISCARD"});
  in_multi_ = false;
  if (stream_) stream_ = std::make_unique<repl::StreamReader>(applied_offset_);
}

bool FakeReplica::connected() const { return connection_ && connection_->is_open(); }

Awaitable<Result<std::string>> FakeReplica::ReadLine(std::string_view waiting_for, std::optional<Duration> timeout) {
  if (!connection_) co_return Error{"the fake replica is not connected", ErrorKind::kClosed};
  const std::string what(waiting_for);
  const net::Wait wait = StartWait(Timeout(timeout));  // named: g++ 12 and temporaries in co_await
  co_return co_await ReadLine(wait, what.c_str(), nullptr);
}

void FakeReplica::AdoptHistory(std::string replid, uint64_t offset) {
  transcript_->Note(options_.channel, fmt::format("takes the history {} up to offset {}", replid, offset));
  replid_ = std::move(replid);
  applied_offset_ = offset;
  stream_start_offset_ = offset;
  snapshot_due_ = false;
  in_multi_ = false;
  model_.Clear();
  model_.Select(0);
  stream_.reset();
}

uint64_t FakeReplica::offset() const { return applied_offset_; }

void FakeReplica::RecordSent(const std::string& bytes, const std::string& description) {
  transcript_->Frame(options_.channel, Direction::kSent, connection_->bytes_sent(), bytes.size(),
                     description);
}

Awaitable<Status> FakeReplica::Send(const std::vector<std::string>& argv) {
  if (!connection_) co_return Error{"the fake replica is not connected", ErrorKind::kClosed};
  const std::string bytes = resp::EncodeCommand(argv);
  RecordSent(bytes, Describe(argv));
  co_return co_await connection_->Write(bytes, options_.timeout);
}

Awaitable<Status> FakeReplica::SendRaw(std::string bytes) {
  if (!connection_) co_return Error{"the fake replica is not connected", ErrorKind::kClosed};
  RecordSent(bytes, "raw \"" + EscapeBytes(bytes) + "\"");
  co_return co_await connection_->Write(bytes, options_.timeout);
}

net::Wait FakeReplica::StartWait(Duration timeout) const {
  return net::Wait(timeout, connection_ ? connection_->bytes_received() : 0);
}

Awaitable<Status> FakeReplica::ReadMore(const net::Wait& wait, const char* waiting_for) {
  if (!connection_) co_return Error{"the fake replica is not connected", ErrorKind::kClosed};
  Status status = co_await connection_->ReadSome(&pending_, wait);
  if (!status.ok()) {
    co_return Error{fmt::format("{} (waiting for {})", status.message(), waiting_for),
                    status.error().kind};
  }
  co_return OkStatus();
}

Awaitable<Result<resp::Value>> FakeReplica::ReadReply(std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(Timeout(timeout));
  resp::Decoder decoder(resp::DecoderMode::kReplies);
  const uint64_t offset = connection_ ? connection_->bytes_received() - pending_.size() : 0;
  decoder.Feed(pending_);
  pending_.clear();
  while (true) {
    resp::Value value;
    switch (decoder.Next(&value)) {
      case resp::DecodeStatus::kValue:
        if (value.type == resp::Type::kInline && value.elements.empty()) {
          ++stats_.keepalives_before_rdb;  // a keepalive newline, not a reply
          continue;
        }
        pending_ = decoder.TakeBuffered();
        transcript_->Frame(options_.channel, Direction::kReceived, offset, decoder.last_size(),
                           value.ToString());
        co_return value;
      case resp::DecodeStatus::kError:
        co_return Error{fmt::format("reply at link offset {}: {}", offset, decoder.error().message),
                        ErrorKind::kProtocol};
      case resp::DecodeStatus::kNeedMore:
        break;
    }
    Status status = co_await ReadMore(wait, "a reply");
    decoder.Feed(pending_);
    pending_.clear();
    if (!status.ok()) {
      pending_ = decoder.TakeBuffered();
      co_return status.error();
    }
  }
}

Awaitable<Status> FakeReplica::ExpectSilence(Duration quiet) {
  if (!connection_) co_return Error{"the fake replica has no link", ErrorKind::kClosed};
  if (pending_.empty()) {
    Status read = co_await connection_->ReadSome(&pending_, quiet);
    if (!read.ok() && read.error().kind == ErrorKind::kTimeout) {
      transcript_->Note(options_.channel, fmt::format("silent for {} ms, as expected", quiet.count()));
      co_return OkStatus();
    }
    if (!read.ok()) co_return read;
  }
  transcript_->Frame(options_.channel, Direction::kReceived, connection_->bytes_received(),
                     pending_.size(), "\"" + EscapeBytes(pending_) + "\" during the silence");
  co_return Error{fmt::format("\"{}\" ({} bytes)", EscapeBytes(pending_.substr(0, 200)),
                              pending_.size()),
                  ErrorKind::kProtocol};
}

Awaitable<Status> FakeReplica::ExpectClose(std::optional<Duration> timeout) {
  if (!connection_) co_return OkStatus();
  if (!pending_.empty()) {
    co_return Error{fmt::format("expected the master to close the link, but it sent \"{}\"",
                                EscapeBytes(pending_)),
                    ErrorKind::kProtocol};
  }
  std::string unexpected;
  Status status = co_await connection_->WaitForClose(Timeout(timeout), &unexpected);
  if (!status.ok() && !unexpected.empty()) {
    co_return Error{fmt::format("expected the master to close the link, but it sent \"{}\"",
                                EscapeBytes(unexpected)),
                    ErrorKind::kProtocol};
  }
  if (status.ok()) transcript_->Note(options_.channel, "the master closed the link");
  co_return status;
}

Awaitable<Result<std::string>> FakeReplica::ReadLine(const net::Wait& wait,
                                                     const char* waiting_for,
                                                     size_t* keepalives) {
  while (true) {
    const size_t newline = pending_.find('\n');
    if (newline == std::string::npos) {
      if (pending_.size() > kMaxLine) {
        co_return Error{fmt::format("line longer than {} bytes while waiting for {}: \"{}\"",
                                    kMaxLine, waiting_for, EscapeBytes(pending_, 80)),
                        ErrorKind::kProtocol};
      }
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await ReadMore(wait, waiting_for));
      continue;
    }
    std::string line = pending_.substr(0, newline);
    pending_.erase(0, newline + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (keepalives) ++*keepalives;
      continue;
    }
    const uint64_t offset = connection_->bytes_received() - pending_.size() - line.size() - 2;
    transcript_->Frame(options_.channel, Direction::kReceived, offset, line.size() + 2,
                       EscapeBytes(line));
    co_return line;
  }
}

Awaitable<Status> FakeReplica::Handshake() {
  const std::vector<std::string> ping = {"PING"};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await Send(ping));
  auto pong = co_await ReadReply();
  if (!pong.ok()) co_return Error{"PING: " + pong.message(), pong.error().kind};
  const std::string pong_text = pong->type == resp::Type::kError ? "-" + pong->str : "";
  bool tolerated = false;
  for (const std::string& prefix : options_.tolerated_ping_errors) {
    if (!pong_text.empty() && pong_text.starts_with(prefix)) tolerated = true;
  }
  if (!tolerated && !(pong->type == resp::Type::kSimpleString && pong->str == "PONG")) {
    co_return Error{fmt::format("PING: Expected: +PONG (or a tolerated error), received: {}",
                                pong->ToString()),
                    ErrorKind::kProtocol};
  }

  std::vector<std::vector<std::string>> commands;
  if (options_.password) {
    if (options_.user) {
      commands.push_back({"AUTH", *options_.user, *options_.password});
    } else {
      commands.push_back({"AUTH", *options_.password});
    }
  }
  if (options_.listening_port) {
    commands.push_back({"REPLCONF", "listening-port", std::to_string(*options_.listening_port)});
  }
  if (options_.ip_address) commands.push_back({"REPLCONF", "ip-address", *options_.ip_address});
  if (!options_.capabilities.empty()) {
    std::vector<std::string> capa = {"REPLCONF"};
    for (const std::string& c : options_.capabilities) {
      capa.push_back("capa");
      capa.push_back(c);
    }
    commands.push_back(std::move(capa));
  }

  auto check_ok = [](const std::vector<std::string>& argv,
                     const Result<resp::Value>& reply) -> Status {
    const std::string what = argv[0] == "AUTH" ? "AUTH" : argv[0] + " " + argv[1];
    if (!reply.ok()) return Error{what + ": " + reply.message(), reply.error().kind};
    if (reply->type == resp::Type::kSimpleString && reply->str == "OK") return OkStatus();
    return Error{fmt::format("{}: Expected: +OK, received: {}", what, reply->ToString()),
                 ErrorKind::kProtocol};
  };
  if (options_.pipeline_handshake) {
    std::string batch;
    for (const auto& argv : commands) {
      const std::string bytes = resp::EncodeCommand(argv);
      transcript_->Frame(options_.channel, Direction::kSent, connection_->bytes_sent() + batch.size(),
                         bytes.size(), Describe(argv));
      batch += bytes;
    }
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await connection_->Write(batch, options_.timeout));
    for (const auto& argv : commands) {
      CONFORMANCE_CO_RETURN_IF_ERROR(check_ok(argv, co_await ReadReply()));
    }
  } else {
    for (const auto& argv : commands) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await Send(argv));
      CONFORMANCE_CO_RETURN_IF_ERROR(check_ok(argv, co_await ReadReply()));
    }
  }
  co_return OkStatus();
}

Awaitable<Result<repl::SyncReply>> FakeReplica::Psync(std::string replid, int64_t offset) {
  const std::vector<std::string> psync = {"PSYNC", replid, std::to_string(offset)};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await Send(psync));
  const net::Wait wait = StartWait(options_.timeout);
  size_t keepalives = 0;
  auto line = co_await ReadLine(wait, "the PSYNC reply", &keepalives);
  stats_.keepalives_before_rdb += keepalives;
  if (!line.ok()) co_return line.error();
  auto reply = repl::ParseSyncReply(*line);
  if (!reply.ok()) co_return reply.error();
  switch (reply->kind) {
    case repl::SyncReply::Kind::kFullResync:
      replid_ = reply->replid;
      stream_start_offset_ = static_cast<uint64_t>(reply->offset);
      snapshot_due_ = true;
      break;
    case repl::SyncReply::Kind::kContinue:
      RecordContinueForm(*reply);
      if (!reply->replid.empty()) {
        transcript_->Note(options_.channel,
                          fmt::format("replid changes from {} to {}", replid_, reply->replid));
        replid_ = reply->replid;
      }
      ++stats_.partial_syncs;
      if (!stream_) stream_ = std::make_unique<repl::StreamReader>(applied_offset_);
      stream_->Feed(pending_);
      pending_.clear();
      break;
    default:
      break;
  }
  co_return reply;
}

// A psync2 replica is told the replid with +CONTINUE; an older one could not parse it.
void FakeReplica::RecordContinueForm(const repl::SyncReply& reply) {
  const bool psync2 = std::find(options_.capabilities.begin(), options_.capabilities.end(),
                                "psync2") != options_.capabilities.end();
  if (psync2 && reply.replid.empty()) {
    stats_.violations.push_back({rules::kContinueReply,
                                 "+CONTINUE without the replid to a replica that announced capa "
                                 "psync2"});
  } else if (!psync2 && !reply.replid.empty()) {
    stats_.violations.push_back({rules::kContinueReply,
                                 "+CONTINUE <replid> to a replica that did not announce capa "
                                 "psync2"});
  }
}

Awaitable<Result<repl::SyncReply>> FakeReplica::PsyncResume() {
  co_return co_await Psync(replid_, static_cast<int64_t>(applied_offset_ + 1));
}

Awaitable<Status> FakeReplica::Sync(uint64_t start_offset) {
  const std::vector<std::string> sync = {"SYNC"};
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await Send(sync));
  replid_.clear();
  stream_start_offset_ = start_offset;
  snapshot_due_ = true;
  transcript_->Note(options_.channel,
                    fmt::format("legacy SYNC: the master announces no offset; the stream counts "
                                "from master_repl_offset {} read before SYNC",
                                start_offset));
  co_return OkStatus();
}

Awaitable<Result<RdbSummary>> FakeReplica::ReceiveRdb(std::optional<RdbCut> cut) {
  const net::Wait wait = StartWait(options_.timeout);
  snapshot_due_ = false;
  model_.Clear();
  model_.Select(0);
  in_multi_ = false;
  repl::ModelLoader loader(&model_);
  rdb::Reader reader(&loader);
  repl::RdbTransfer transfer;
  RdbSummary summary;
  bool cut_armed = false;

  auto sink = [&](std::string_view payload) -> Status { return reader.Feed(payload); };
  while (!transfer.done()) {
    auto used = transfer.Feed(pending_, sink);
    if (!used.ok()) co_return used.error();
    pending_.erase(0, *used);
    if (transfer.done()) break;
    if (cut && transfer.in_payload() && !cut_armed) {
      cut_armed = true;
      if (transfer.framing() == repl::RdbTransfer::Framing::kLength) {
        const auto target = static_cast<uint64_t>(cut->fraction * double(*transfer.expected_size()));
        const uint64_t have = transfer.payload_bytes();
        connection_->CutAfterMoreReceived(target > have ? target - have : 0, cut->action);
        transcript_->Note(options_.channel,
                          fmt::format("will cut the link at payload byte {} of {}", target,
                                      *transfer.expected_size()));
      }
    }
    if (cut && transfer.framing() == repl::RdbTransfer::Framing::kEofMark &&
        loader.keys() >= static_cast<uint64_t>(cut->fraction * double(cut->expected_keys))) {
      transcript_->Fault(options_.channel,
                         fmt::format("cut the link after {} of ~{} keys ({} payload bytes)",
                                     loader.keys(), cut->expected_keys, transfer.payload_bytes()));
      if (cut->action == net::CutAction::kReset) connection_->Reset(); else connection_->Close();
    }
    Status more = co_await ReadMore(wait, "the RDB payload");
    if (!more.ok()) {
      if (cut && (more.error().kind == ErrorKind::kFault || !connection_->is_open())) {
        summary.framing = transfer.framing();
        summary.payload_bytes = transfer.payload_bytes();
        summary.keys = loader.keys();
        summary.cut = true;
        connection_.reset();
        pending_.clear();
        co_return summary;
      }
      co_return Error{fmt::format("{} after {} payload bytes ({} framing)", more.message(),
                                  transfer.payload_bytes(), repl::ToString(transfer.framing())),
                      more.error().kind};
    }
  }
  stats_.keepalives_before_rdb += transfer.keepalives();
  CONFORMANCE_CO_RETURN_IF_ERROR(reader.Finish());
  summary.framing = transfer.framing();
  summary.payload_bytes = transfer.payload_bytes();
  summary.keys = loader.keys();
  summary.version = loader.version();
  ++stats_.full_syncs;
  transcript_->Frame(options_.channel, Direction::kReceived, connection_->bytes_received(),
                     transfer.payload_bytes(),
                     fmt::format("RDB v{} by {}: {} bytes, {} keys", loader.version(),
                                 repl::ToString(transfer.framing()), transfer.payload_bytes(),
                                 loader.keys()));
  if (loader.repl_stream_db()) model_.Select(*loader.repl_stream_db());
  applied_offset_ = stream_start_offset_;
  stream_ = std::make_unique<repl::StreamReader>(stream_start_offset_);
  if (transfer.framing() == repl::RdbTransfer::Framing::kEofMark) {
    awaiting_first_ack_ = true;
    if (!pending_.empty()) {
      stats_.violations.push_back(
          {rules::kEofStreamAfterFirstAck,
           fmt::format("the master sent {} bytes after the EOF mark before the replica's first ACK",
                       pending_.size())});
    }
    if (options_.ack_after_eof_load) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendAutomaticAck(applied_offset_));
    }
  }
  stream_->Feed(pending_);
  pending_.clear();
  co_return summary;
}

Awaitable<Status> FakeReplica::ApplyStream() {
  if (!stream_) co_return Error{"no stream: the fake replica has not synced", ErrorKind::kGeneric};
  stream_->Feed(pending_);
  pending_.clear();
  while (true) {
    auto next = stream_->Next();
    if (!next.ok()) co_return next.error();
    if (!next->has_value()) break;
    StreamCommand& command = **next;
    transcript_->Frame(options_.channel, Direction::kReceived, command.offset, command.size,
                       command.ToString());
    ++stats_.commands;
    switch (command.kind) {
      case StreamCommand::Kind::kKeepalive:
        ++stats_.stream_keepalives;
        break;
      case StreamCommand::Kind::kInline:
        stats_.violations.push_back(
            {rules::kNoInlineFromMaster, fmt::format("inline text in the stream at offset {}: {}",
                                                     command.offset, command.ToString())});
        break;
      case StreamCommand::Kind::kReply:
        stats_.violations.push_back(
            {rules::kAckGetsNoReply,
             fmt::format("a reply in the stream at offset {}: {} (a master answers neither the "
                         "replica's ACKs nor anything else on the link)",
                         command.offset, command.ToString())});
        break;
      case StreamCommand::Kind::kGetAck:
        ++stats_.getacks;
        if (options_.ack_policy != AckPolicy::kNever) {
          CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendAutomaticAck(applied_offset_));
        }
        break;
      case StreamCommand::Kind::kReplconf:
        break;
      default: {
        if (command.kind == StreamCommand::Kind::kSelect) ++stats_.selects;
        if (command.kind == StreamCommand::Kind::kPing) ++stats_.pings;
        const keyspace::ApplyResult result = model_.Apply(command.argv);
        if (result.status == keyspace::ApplyStatus::kUnmodelled) {
          stats_.unmodelled.push_back(command.ToString());
        } else if (result.status == keyspace::ApplyStatus::kError) {
          stats_.model_errors.push_back(command.ToString() + ": " + result.message);
        }
        if (command.kind == StreamCommand::Kind::kMulti) in_multi_ = true;
        if (command.kind == StreamCommand::Kind::kExec) in_multi_ = false;
        break;
      }
    }
    // Like a real replica, the applied offset does not move inside MULTI until EXEC.
    if (!in_multi_) applied_offset_ = stream_->offset();
  }
  if (options_.ack_policy == AckPolicy::kPeriodic || options_.ack_policy == AckPolicy::kLagging) {
    if (Clock::now() - last_ack_ >= options_.ack_period) {
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendAutomaticAck(applied_offset_));
    }
  }
  co_return OkStatus();
}

Awaitable<Status> FakeReplica::ReadStreamMore(const net::Wait& wait) {
  // A real replica ACKs every second even when nothing arrives; after a diskless load the
  // master starts the stream only on an ACK received once the replica is online.
  const bool periodic = options_.ack_policy == AckPolicy::kPeriodic ||
                        options_.ack_policy == AckPolicy::kLagging;
  while (true) {
    const net::Wait until_wake = periodic ? wait.Until(last_ack_ + options_.ack_period) : wait;
    Status more = co_await ReadMore(until_wake, "the stream");
    if (more.ok() || !periodic || more.error().kind != ErrorKind::kTimeout || wait.expired()) {
      co_return more;
    }
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await SendAutomaticAck(applied_offset_));
  }
}

Awaitable<Status> FakeReplica::ReadStreamUntil(uint64_t target, std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(Timeout(timeout));
  while (true) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ApplyStream());
    if (applied_offset_ >= target) co_return OkStatus();
    Status more = co_await ReadStreamMore(wait);
    if (!more.ok()) {
      co_return Error{fmt::format("stream stopped at offset {} short of offset {} ({} bytes "
                                  "buffered): {}",
                                  applied_offset_, target, stream_ ? stream_->buffered() : 0,
                                  more.message()),
                      more.error().kind};
    }
  }
}

Awaitable<Status> FakeReplica::ReadStreamUntilQuiet(Duration quiet, std::optional<Duration> timeout) {
  const net::Wait wait = StartWait(Timeout(timeout));
  while (true) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ApplyStream());
    if (wait.expired()) {
      co_return Error{fmt::format("the stream never went quiet for {} ms in {} ms", quiet.count(),
                                  wait.length().count()),
                      ErrorKind::kTimeout};
    }
    Status more = co_await ReadStreamMore(wait.Until(Clock::now() + quiet));
    if (!more.ok()) {
      if (more.error().kind == ErrorKind::kTimeout) co_return OkStatus();
      co_return more;
    }
  }
}

Awaitable<Status> FakeReplica::SendAck(std::optional<uint64_t> offset) {
  co_return co_await SendAckAt(offset.value_or(applied_offset_));
}

Awaitable<Status> FakeReplica::SendAutomaticAck(uint64_t offset) {
  if (options_.ack_policy == AckPolicy::kLagging) {
    offset = offset > options_.ack_lag_bytes ? offset - options_.ack_lag_bytes : 0;
  }
  co_return co_await SendAckAt(offset);
}

Awaitable<Status> FakeReplica::SendAckAt(uint64_t offset) {
  last_ack_ = Clock::now();
  awaiting_first_ack_ = false;
  ++stats_.acks_sent;
  stats_.last_ack_offset = offset;
  const std::vector<std::string> ack = {"REPLCONF", "ACK", std::to_string(offset)};
  co_return co_await Send(ack);
}

}  // namespace conformance::fakes
