#include "harness/fuzz/replica_target.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <asio/this_coro.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "fakes/fake_master.h"
#include "harness/net/run_sync.h"
#include "harness/rdb/reader.h"
#include "harness/repl/handshake_dialect.h"
#include "harness/repl/master_rdb.h"
#include "harness/resp/encoder.h"
#include "harness/rules/ids.h"
#include "harness/server/log_findings.h"
#include "harness/server/proc_inspect.h"
#include "harness/server/readiness.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using net::Awaitable;

// How often the settle loop looks at the replica's INFO while the link is quiet.
constexpr net::Duration kSettlePoll{10};
// Polls of an unchanged replication state after which a replica is taken to be waiting.
constexpr int kStalledPolls = 5;
// How long a server that stopped answering may take to be seen dead.
constexpr auto kDeathWait = std::chrono::milliseconds(1000);
// Warnings quoted per finding.
constexpr size_t kFindingLogLines = 4;

// Accepts every record: the fuzzer only asks the reader whether the checksum holds.
class AcceptAll : public rdb::Handler {
 public:
  Status OnKey(std::string, data::Entry, const rdb::KeyMeta&) override { return OkStatus(); }
};

// Our reader's verdict on the checksum of the RDB as sent: the mismatch it names, if any.
std::optional<std::string> ChecksumMismatch(const std::string& rdb) {
  AcceptAll handler;
  rdb::Reader reader(&handler);
  Status status = reader.Feed(rdb);
  if (status.ok()) status = reader.Finish();
  if (!status.ok() && status.message().find("CRC64 mismatch") != std::string::npos) {
    return status.message();
  }
  return std::nullopt;
}

// INFO replication without the fields that change with the clock alone.
std::string ReplicationState(const server::Info& info) {
  std::string state;
  for (const server::InfoSection& section : info.sections()) {
    for (const auto& [key, value] : section.fields) {
      if (key.find("seconds_ago") != std::string::npos || key.find("last_io") != std::string::npos) {
        continue;
      }
      state += key + "=" + value + ";";
    }
  }
  return state;
}

}  // namespace

struct ReplicaTarget::Observation {
  Reaction reaction = Reaction::kUndecided;
};

ReplicaTarget::ReplicaTarget(ReplicaTargetOptions options) : options_(std::move(options)) {}

ReplicaTarget::~ReplicaTarget() {
  admin_.reset();
  if (server_) (void)server_->Stop();
}

InputDomain ReplicaTarget::domain() const {
  InputDomain domain;
  domain.rdb_version = options_.traits.rdb_version > 0 ? options_.traits.rdb_version : 6;
  domain.psync = options_.traits.HasCommand("psync");
  domain.eof_framing = options_.traits.Has("eof");
  return domain;
}

Status ReplicaTarget::Start() {
  auto spawned = server::ServerProcess::Spawn(options_.launch, options_.registry);
  if (!spawned.ok()) return Error{"the server under test did not start: " + spawned.message(), ErrorKind::kHarness};
  server_ = std::move(spawned).value();
  Status ready = net::RunSync(io_, server::WaitUntilReady(*server_, options_.launch.start_timeout, nullptr));
  if (!ready.ok()) return Error{"the server under test did not become ready: " + ready.message(), ErrorKind::kHarness};
  return net::RunSync(io_, Connect());
}

Awaitable<Status> ReplicaTarget::Connect() {
  auto admin = co_await server::Admin::Connect(server_->host(), server_->port(), nullptr,
                                               options_.ping_timeout);
  if (!admin.ok()) co_return Error{"connecting to the server under test: " + admin.message(), ErrorKind::kHarness};
  admin_ = std::move(admin).value();
  auto checksum = co_await admin_->ConfigGet("rdbchecksum");
  // A server that does not say it verifies checksums is not judged on them.
  verifies_checksum_ = checksum.ok() && *checksum == "yes";
  co_return OkStatus();
}

uint64_t ReplicaTarget::LogSize() const {
  std::error_code error;
  const auto size = std::filesystem::file_size(server_->log_path(), error);
  return error ? 0 : size;
}

std::string ReplicaTarget::LogSince(uint64_t log_offset) const {
  std::ifstream log(server_->log_path(), std::ios::binary);
  log.seekg(static_cast<std::streamoff>(log_offset));
  return std::string((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
}

std::vector<std::string> ReplicaTarget::LogLinesSince(uint64_t log_offset) const {
  return server::LogFindings(LogSince(log_offset), kFindingLogLines);
}

Result<Outcome> ReplicaTarget::Run(const FuzzInput& input) {
  auto exchange = Render(input);
  if (!exchange.ok()) return exchange.error();
  if (!server_) return Error{"the fuzz target was not started", ErrorKind::kHarness};
  const auto started = Clock::now();
  Transcript transcript;
  transcript.Note("fuzz", fmt::format("seed {} iteration {}: {}{}", input.seed, input.iteration,
                                      input.MutatorSummary(), input.fix_checksum ? " (checksum fixed)" : ""));
  const uint64_t log_offset = LogSize();
  auto observed = net::RunSync(io_, Exchange(*exchange, transcript));
  if (!observed.ok()) return observed.error();
  Outcome outcome;
  outcome.reaction = observed->reaction;
  if (!admin_ && server_->IsAlive()) (void)net::RunSync(io_, Connect());
  outcome.finding = net::RunSync(io_, Judge(*exchange, outcome.reaction, log_offset));
  transcript.Note("fuzz", fmt::format("the replica {}{}", ToString(outcome.reaction),
                                      outcome.finding ? "; " + outcome.finding->Symptom() : ""));
  outcome.transcript = transcript.Render();
  const bool healthy = !outcome.finding || outcome.finding->oracle == Oracle::kCorruptLoad;
  if (!healthy || !server_->IsAlive()) CONFORMANCE_RETURN_IF_ERROR(RestartFresh());
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (getenv("FUZZDBG")) fprintf(stderr, "DBG %.3f %s %s\n%s\n", outcome.seconds, ToString(outcome.reaction), input.MutatorSummary().c_str(), outcome.seconds > 0.2 ? (outcome.transcript + server_->LogTail(25)).c_str() : "");
  return outcome;
}

Awaitable<Result<ReplicaTarget::Observation>> ReplicaTarget::Exchange(const fuzz::Exchange& exchange,
                                                                      Transcript& transcript) {
  fakes::FakeMasterOptions fake_options;
  fake_options.seed = exchange.options.seed;
  fake_options.timeout = options_.connect_timeout;
  fake_options.require_ping_first = false;  // the fuzzer judges robustness, not the handshake
  fake_options.dialect = repl::HandshakeDialectFor(options_.traits.dialect);
  fake_options.bugs.handshake_reply_overrides = exchange.handshake_replies;
  fakes::FakeMaster fake(std::move(fake_options), &transcript);
  CONFORMANCE_CO_RETURN_IF_ERROR(fake.Listen(co_await asio::this_coro::executor));
  Observation observation;
  if (!admin_) co_return observation;
  // REPLICAOF's answer is read once the handshake is under way: a server may read its new
  // master's PING reply synchronously before it answers REPLICAOF.
  std::string request;
  resp::AppendCommand(&request, {options_.traits.HasCommand("replicaof") ? "REPLICAOF" : "SLAVEOF",
                                 "127.0.0.1", std::to_string(fake.port())});
  if (Status sent = co_await admin_->client().connection().Write(request, options_.connect_timeout);
      !sent.ok()) {
    transcript.Note("fuzz", "REPLICAOF could not be sent: " + sent.message());
    co_return observation;
  }
  bool answered = false;
  auto await_answer = [&]() -> Awaitable<Status> {
    if (answered) co_return OkStatus();
    answered = true;
    auto reply = co_await admin_->client().Read(options_.connect_timeout);
    if (reply.ok() && reply->type != resp::Type::kError) co_return OkStatus();
    transcript.Note("fuzz", "REPLICAOF: " + (reply.ok() ? reply->ToString() : reply.message()));
    if (!reply.ok()) admin_.reset();  // its answer may still come: a fresh link for the oracles
    co_return Error{"REPLICAOF failed"};
  };
  if (Status accepted = co_await fake.Accept(options_.connect_timeout); !accepted.ok()) {
    transcript.Note("fuzz", "the replica did not connect: " + accepted.message());
    (void)co_await await_answer();
    co_return observation;
  }
  // Connected, a replica goes through its handshake in milliseconds; one that stops half-way
  // waits for a line end or bytes that will not come.
  auto sync = co_await fake.AnswerHandshake(options_.handshake_timeout);
  if (!sync.ok()) {
    const ErrorKind kind = sync.error().kind;
    if (kind == ErrorKind::kClosed || kind == ErrorKind::kReset) {
      observation.reaction = Reaction::kRefusedInHandshake;
    }
    (void)co_await await_answer();
    co_return observation;
  }
  Status sent = co_await fake.Reply(exchange.AfterHandshake());
  if (!(co_await await_answer()).ok()) co_return observation;
  if (!sent.ok()) {
    if (sent.error().kind != ErrorKind::kTimeout) observation.reaction = Reaction::kRefused;
    co_return observation;
  }
  const auto deadline = Clock::now() + options_.settle;
  std::string last_state;
  int unchanged_polls = 0;
  while (Clock::now() < deadline) {
    std::string chunk;
    Status read = co_await fake.connection()->ReadSome(&chunk, kSettlePoll);
    if (!read.ok() && read.error().kind != ErrorKind::kTimeout) {
      observation.reaction = Reaction::kRefused;
      co_return observation;
    }
    auto info = co_await admin_->Info("replication");
    if (!info.ok()) co_return observation;  // the oracles look at why
    if (info->Get("master_link_status") == "up" && info->GetInt("master_sync_in_progress").value_or(0) == 0) {
      observation.reaction = Reaction::kAccepted;
      co_return observation;
    }
    // A replica whose replication state stays the same while it has everything it will get
    // waits for bytes that never come (a length beyond the payload, a missing CRLF): there is
    // nothing more to see before its repl-timeout.
    std::string state = ReplicationState(*info);
    unchanged_polls = state == last_state ? unchanged_polls + 1 : 0;
    if (unchanged_polls >= kStalledPolls) {
      // Unless it is still loading what it received (its replication fields stand still then).
      auto persistence = co_await admin_->Info("persistence");
      if (!persistence.ok()) co_return observation;
      if (persistence->GetInt("loading").value_or(0) == 0) co_return observation;
      unchanged_polls = 0;
    }
    last_state = std::move(state);
  }
  co_return observation;
}

std::optional<Finding> ReplicaTarget::DeathFinding(uint64_t log_offset) {
  Finding finding;
  const std::optional<int> status = server_->exit_status();
  const bool signalled = status && WIFSIGNALED(*status);
  finding.what = server_->DescribeExit();
  const std::string log = LogSince(log_offset);
  finding.log_lines = server::LogFindings(log, kFindingLogLines);
  // SIGABRT with the server's own assertion or panic in its log is a stop on purpose; any
  // other signal (a segfault, a heap check's abort) is a crash.
  const bool on_purpose = signalled && WTERMSIG(*status) == SIGABRT && SaysItStoppedItself({log});
  finding.oracle = !signalled ? Oracle::kExit : on_purpose ? Oracle::kPanic : Oracle::kCrash;
  finding.rule = finding.oracle == Oracle::kCrash ? std::string(rules::kSurvivesMalformedInput) : "";
  return finding;
}

Awaitable<std::optional<Finding>> ReplicaTarget::Judge(const fuzz::Exchange& exchange, Reaction reaction,
                                                       uint64_t log_offset) {
  if (!server_->IsAlive()) co_return DeathFinding(log_offset);
  // (No co_await inside ?: here: g++ 12 mishandles the temporaries of such an expression.)
  Result<resp::Value> pong = Error{"no admin link"};
  if (admin_) {
    std::vector<std::string> ping = {"PING"};
    pong = co_await admin_->Call(std::move(ping));
  }
  if (!pong.ok()) {
    const auto deadline = Clock::now() + kDeathWait;
    while (Clock::now() < deadline) {
      if (!server_->IsAlive()) co_return DeathFinding(log_offset);
      asio::steady_timer tick(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
      co_await tick.async_wait(asio::use_awaitable);
    }
    if (!server_->IsAlive()) co_return DeathFinding(log_offset);
    Finding hang{Oracle::kHang, std::string(rules::kSurvivesMalformedInput),
                 fmt::format("no answer to PING within {} ms ({})", options_.ping_timeout.count(),
                             pong.message()),
                 LogLinesSince(log_offset)};
    co_return hang;
  }
  if (auto rss = server::ResidentBytes(server_->pid()); rss.ok() && *rss > options_.max_rss_mb << 20) {
    co_return Finding{Oracle::kMemory, std::string(rules::kSurvivesMalformedInput),
                      fmt::format("resident memory {} MiB, above the bound of {} MiB", *rss >> 20,
                                  options_.max_rss_mb),
                      LogLinesSince(log_offset)};
  }
  if (reaction != Reaction::kAccepted) co_return std::nullopt;
  if (verifies_checksum_) {
    if (auto mismatch = ChecksumMismatch(exchange.rdb)) {
      co_return Finding{Oracle::kCorruptLoad, std::string(rules::kRdbChecksumVerified),
                        "brought its link up on a snapshot whose checksum does not match (" +
                            *mismatch + ")",
                        LogLinesSince(log_offset)};
    }
  }
  if (exchange.options.eof_framing && exchange.preamble == repl::EofPreamble(exchange.eof_mark) &&
      exchange.trailer.find(exchange.eof_mark) == std::string::npos) {
    co_return Finding{Oracle::kCorruptLoad, std::string(rules::kEofMarkVerified),
                      "brought its link up although the payload did not end with the announced "
                      "EOF mark",
                      LogLinesSince(log_offset)};
  }
  co_return std::nullopt;
}

Status ReplicaTarget::RestartFresh() {
  const auto started = Clock::now();
  Status restarted = Restart();
  restart_seconds_ += std::chrono::duration<double>(Clock::now() - started).count();
  return restarted;
}

Status ReplicaTarget::Restart() {
  admin_.reset();
  (void)server_->Stop();
  // A snapshot the replica saved before dying would be loaded again at start-up.
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(server_->dir(), error)) {
    if (entry.path().extension() == ".rdb") std::filesystem::remove(entry.path(), error);
  }
  ++restarts_;
  if (Status restarted = server_->Restart(); !restarted.ok()) {
    return Error{"restarting the server under test: " + restarted.message(), ErrorKind::kHarness};
  }
  Status ready = net::RunSync(io_, server::WaitUntilReady(*server_, options_.launch.start_timeout, nullptr));
  if (!ready.ok()) return Error{"the restarted server did not become ready: " + ready.message(), ErrorKind::kHarness};
  return net::RunSync(io_, Connect());
}

}  // namespace conformance::fuzz
