#include "harness/fuzz/fuzzed_server.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>

#include "harness/net/run_sync.h"
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

Awaitable<void> Pause(std::chrono::milliseconds duration) {
  asio::steady_timer tick(co_await asio::this_coro::executor, duration);
  co_await tick.async_wait(asio::use_awaitable);
}

}  // namespace

FuzzedServer::~FuzzedServer() {
  admin_.reset();
  if (server_) (void)server_->Stop();
}

Status FuzzedServer::Start() {
  auto spawned = server::ServerProcess::Spawn(options_.launch, options_.registry);
  if (!spawned.ok()) return Error{"the server under test did not start: " + spawned.message(), ErrorKind::kHarness};
  server_ = std::move(spawned).value();
  Status ready = net::RunSync(io_, server::WaitUntilReady(*server_, options_.launch.start_timeout, nullptr));
  if (!ready.ok()) return Error{"the server under test did not become ready: " + ready.message(), ErrorKind::kHarness};
  return net::RunSync(io_, Connect());
}

Awaitable<Status> FuzzedServer::Connect() {
  auto admin = co_await server::Admin::Connect(server_->host(), server_->port(), nullptr,
                                               options_.ping_timeout);
  if (!admin.ok()) co_return Error{"connecting to the server under test: " + admin.message(), ErrorKind::kHarness};
  admin_ = std::move(admin).value();
  co_return OkStatus();
}

void FuzzedServer::Reconnect() {
  if (!admin_ && alive()) (void)net::RunSync(io_, Connect());
}

uint64_t FuzzedServer::LogSize() const {
  std::error_code error;
  const auto size = std::filesystem::file_size(server_->log_path(), error);
  return error ? 0 : size;
}

std::string FuzzedServer::LogSince(uint64_t log_offset) const {
  std::ifstream log(server_->log_path(), std::ios::binary);
  log.seekg(static_cast<std::streamoff>(log_offset));
  return std::string((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
}

std::vector<std::string> FuzzedServer::LogLinesSince(uint64_t log_offset) const {
  return server::LogFindings(LogSince(log_offset), kFindingLogLines);
}

std::optional<Finding> FuzzedServer::DeathFinding(uint64_t log_offset, std::string_view rule) {
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
  finding.rule = finding.oracle == Oracle::kCrash ? std::string(rule) : "";
  return finding;
}

Awaitable<std::optional<Finding>> FuzzedServer::JudgeLife(uint64_t log_offset, std::string_view rule) {
  if (!server_->IsAlive()) co_return DeathFinding(log_offset, rule);
  // (No co_await inside ?: here: g++ 12 mishandles the temporaries of such an expression.)
  Result<resp::Value> pong = Error{"no admin link"};
  if (admin_) {
    std::vector<std::string> ping = {"PING"};
    pong = co_await admin_->Call(std::move(ping));
  }
  if (!pong.ok()) {
    const auto deadline = Clock::now() + kDeathWait;
    while (server_->IsAlive() && Clock::now() < deadline) co_await Pause(std::chrono::milliseconds(5));
    if (!server_->IsAlive()) co_return DeathFinding(log_offset, rule);
    // A server that said it stops itself is still writing its crash report (a memory test
    // can take many seconds): its end is a panic, not a hang.
    if (SaysItStoppedItself({LogSince(log_offset)})) {
      const auto report_deadline = Clock::now() + kCrashReportWait;
      while (server_->IsAlive() && Clock::now() < report_deadline) co_await Pause(std::chrono::milliseconds(20));
      if (!server_->IsAlive()) co_return DeathFinding(log_offset, rule);
    }
    co_return Finding{Oracle::kHang, std::string(rule),
                      fmt::format("no answer to PING within {} ms ({})", options_.ping_timeout.count(),
                                  pong.message()),
                      LogLinesSince(log_offset)};
  }
  if (auto rss = server::ResidentBytes(server_->pid()); rss.ok() && *rss > options_.max_rss_mb << 20) {
    co_return Finding{Oracle::kMemory, std::string(rule),
                      fmt::format("resident memory {} MiB, above the bound of {} MiB", *rss >> 20,
                                  options_.max_rss_mb),
                      LogLinesSince(log_offset)};
  }
  co_return std::nullopt;
}

Status FuzzedServer::RestartFresh() {
  const auto started = Clock::now();
  Status restarted = Restart();
  restart_seconds_ += std::chrono::duration<double>(Clock::now() - started).count();
  return restarted;
}

Status FuzzedServer::Restart() {
  admin_.reset();
  (void)server_->Stop();
  // A snapshot the server saved before dying would be loaded again at start-up.
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
