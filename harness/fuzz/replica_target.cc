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

// How long a server that stopped answering may take to be seen dead (a crash report with its
// stack traces and memory test takes seconds): only then is it a hang.
constexpr auto kDeathWait = std::chrono::milliseconds(5000);
// How long a server that logged its own panic may take to finish its crash report.
constexpr auto kCrashReportWait = std::chrono::milliseconds(60000);
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

}  // namespace

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
  const ExchangeResult exchanged = net::RunSync(io_, Exchange(*exchange, transcript));
  Outcome outcome;
  outcome.reaction = exchanged.reaction;
  if (exchanged.admin_lost) admin_.reset();
  if (!admin_ && server_->IsAlive()) (void)net::RunSync(io_, Connect());
  outcome.finding = net::RunSync(io_, Judge(*exchange, outcome.reaction, log_offset));
  transcript.Note("fuzz", fmt::format("the replica {}{}", ToString(outcome.reaction),
                                      outcome.finding ? "; " + outcome.finding->Symptom() : ""));
  outcome.transcript = transcript.Render();
  const bool healthy = !outcome.finding || outcome.finding->oracle == Oracle::kCorruptLoad;
  if (!healthy || !server_->IsAlive()) CONFORMANCE_RETURN_IF_ERROR(RestartFresh());
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

Awaitable<ExchangeResult> ReplicaTarget::Exchange(const fuzz::Exchange& exchange, Transcript& transcript) {
  fakes::FakeMasterOptions fake_options;
  fake_options.seed = exchange.options.seed;
  fake_options.timeout = options_.timeouts.connect;
  fake_options.require_ping_first = false;  // the fuzzer judges robustness, not the handshake
  fake_options.dialect = repl::HandshakeDialectFor(options_.traits.dialect);
  fake_options.bugs.handshake_reply_overrides = exchange.handshake_replies;
  fakes::FakeMaster fake(std::move(fake_options), &transcript);
  if (Status listening = fake.Listen(co_await asio::this_coro::executor); !listening.ok() || !admin_) {
    co_return ExchangeResult{};
  }
  co_return co_await DriveExchange(fake, *admin_, !options_.traits.HasCommand("replicaof"),
                                   exchange.AfterHandshake(), options_.timeouts, transcript);
}

std::optional<Finding> ReplicaTarget::DeathFinding(uint64_t log_offset) {
  Finding finding;
  const std::optional<int> status = server_->exit_status();
  const bool signalled = status && WIFSIGNALED(*status);
  finding.what = server_->DescribeExit();
  const std::string log = LogSince(log_offset);
  finding.log_lines = server::LogFindings(log, kFindingLogLines);
  // A server that logged its own assertion or panic stopped itself on purpose, whatever
  // signal then ended it (a crash report can itself fault); any other death by a signal (a
  // segfault, a heap check's abort) is a crash.
  const bool on_purpose = signalled && SaysItStoppedItself({log});
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
    // A server that said it stops itself is still writing its crash report (a memory test
    // can take many seconds): its end is a panic, not a hang.
    if (SaysItStoppedItself({LogSince(log_offset)})) {
      const auto report_deadline = Clock::now() + kCrashReportWait;
      while (server_->IsAlive() && Clock::now() < report_deadline) {
        asio::steady_timer tick(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
        co_await tick.async_wait(asio::use_awaitable);
      }
      if (!server_->IsAlive()) co_return DeathFinding(log_offset);
    }
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
  // A link that comes up says the replica loaded this snapshot only when it was announced as
  // a correct master would: the PSYNC reply and the preamble as sent in the valid exchange
  // (after "+CONTINUE" the same bytes are read as the stream, not as a snapshot).
  auto valid = BuildExchange(exchange.options);
  if (!valid.ok() || valid->sync_reply != exchange.sync_reply) co_return std::nullopt;
  const bool eof_framed = exchange.preamble == repl::EofPreamble(exchange.eof_mark);
  if (!eof_framed && exchange.preamble != repl::LengthPreamble(exchange.rdb.size())) co_return std::nullopt;
  if (verifies_checksum_) {
    if (auto mismatch = ChecksumMismatch(exchange.rdb)) {
      co_return Finding{Oracle::kCorruptLoad, std::string(rules::kRdbChecksumVerified),
                        "brought its link up on a snapshot whose checksum does not match (" +
                            *mismatch + ")",
                        LogLinesSince(log_offset)};
    }
  }
  if (eof_framed && exchange.trailer.find(exchange.eof_mark) == std::string::npos) {
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
