// The server under test as a fuzz target holds it, whatever its role: its process and admin
// link, its log since an input began, restarts from an empty directory, and the oracles that
// hold for every role: it is alive (or died by a signal, exited, panicked), it answers PING
// (or hangs), and its memory stays within a bound.
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/target.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"

namespace conformance::fuzz {

class FuzzedServer {
 public:
  explicit FuzzedServer(const TargetOptions& options) : options_(options) {}
  ~FuzzedServer();
  FuzzedServer(const FuzzedServer&) = delete;
  FuzzedServer& operator=(const FuzzedServer&) = delete;

  Status Start();
  // Stops the server, removes its snapshots (it would load them again) and starts it; timed.
  Status RestartFresh();
  // A new admin link, when the server lives and the last one was lost.
  void Reconnect();
  void DropAdmin() { admin_.reset(); }

  asio::io_context& io() { return io_; }
  server::Admin* admin() { return admin_.get(); }
  server::ServerProcess& process() { return *server_; }
  bool started() const { return server_ != nullptr; }
  bool alive() const { return server_ && server_->IsAlive(); }

  uint64_t LogSize() const;
  std::string LogSince(uint64_t log_offset) const;
  // The server's own warnings since `log_offset`, a few.
  std::vector<std::string> LogLinesSince(uint64_t log_offset) const;

  // The oracles of every role, after an input that began when the log was `log_offset` long:
  // death, hang, memory. `rule` is the one a crash, hang or blow-up breaks.
  net::Awaitable<std::optional<Finding>> JudgeLife(uint64_t log_offset, std::string_view rule);

  int restarts() const { return restarts_; }
  double restart_seconds() const { return restart_seconds_; }

 private:
  net::Awaitable<Status> Connect();
  std::optional<Finding> DeathFinding(uint64_t log_offset, std::string_view rule);
  Status Restart();

  const TargetOptions& options_;
  asio::io_context io_;
  std::unique_ptr<server::ServerProcess> server_;
  std::unique_ptr<server::Admin> admin_;
  int restarts_ = 0;
  double restart_seconds_ = 0;
};

}  // namespace conformance::fuzz
