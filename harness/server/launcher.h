// Starts a server binary on a free loopback port in a fresh temp dir, captures its output and
// always stops it (Stop(), the destructor, or a registry's signal cleanup).
//
// Spawn returns once the server process (or a member of its process group) owns a socket that
// listens on its port, seen through /proc: that is the only way to tell "port taken by someone
// else" (retry with another port) from "our server is up". Answering PING is the next step,
// WaitUntilReady() in readiness.h. Linux only (prctl, /proc).
//
// Not thread-safe: one owner drives a ServerProcess. The server gets PR_SET_PDEATHSIG(SIGKILL),
// which the kernel ties to the *thread* that forked it: spawn from a thread that outlives the
// server (the main thread, or the scenario's own thread that also destroys it).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/server/free_port.h"
#include "harness/server/launch_spec.h"
#include "harness/server/process_registry.h"

namespace conformance::server {

// Chooses the port for the next start attempt (0 = none available).
using PortPicker = std::function<uint16_t()>;

class ServerProcess {
 public:
  // Lines of log included in start-up error messages.
  static constexpr size_t kErrorLogLines = 20;
  // Ports tried when the picked port turns out to be taken.
  static constexpr int kMaxPortAttempts = 5;

  // Creates the temp dir (registered with `registry` for its signal cleanup), writes
  // {dir}/server.conf (mode 0600: it may hold passwords), forks and execs the command with stdout and
  // stderr appended to {dir}/server.log, in its own process group, and waits (up to
  // spec.start_timeout) until it listens. Fails with kGeneric and a message holding the command
  // line and the log tail if the binary is missing, cannot be executed, exits during start-up
  // or does not listen in time. `registry` may be null. `pick_port` is asked again (up to
  // kMaxPortAttempts times) when the server reports its port in use.
  static Result<std::unique_ptr<ServerProcess>> Spawn(const LaunchSpec& spec,
                                                      ProcessRegistry* registry,
                                                      const PortPicker& pick_port = PickFreePort);

  // Stops the server and removes the temp dir unless KeepDir() was called.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  const std::string& host() const { return spec_.host; }
  // Of the current or, once it ended, the last run.
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/server.log"; }
  std::string config_path() const { return dir_ + "/server.conf"; }
  const LaunchSpec& spec() const { return spec_; }
  // The expanded argv of the last start.
  const std::vector<std::string>& argv() const { return argv_; }
  std::string command_line() const;

  // Whether the server process still runs; reaps it (waitpid WNOHANG) if it ended, after
  // SIGKILLing whatever is left of its process group.
  bool IsAlive();
  // The waitpid() status of the last run, if it ended (WIFEXITED etc.).
  std::optional<int> exit_status();
  // "running (pid N)", "exited 1", "killed by signal 11 (SIGSEGV)".
  std::string DescribeExit();

  // SIGTERM (and SIGCONT, in case it was stopped), wait up to spec.stop_timeout, then SIGKILL
  // the whole process group. Leftover group members (e.g. an RDB save child) are always
  // killed. Ok once the server is gone, however it ended (see DescribeExit()); an error only if
  // it survived SIGKILL. Idempotent.
  Status Stop();
  // Stops and starts again on the same port and dir (dump.rdb and the log are kept).
  Status Restart();
  // Sends a signal to the server process (SIGSTOP/SIGCONT/SIGKILL for fault scenarios); a
  // no-op once it ended.
  void Signal(int sig);
  // The last lines of the captured log, secrets redacted.
  std::string LogTail(size_t lines) const;
  // Keeps the temp dir (log, config, RDB) after destruction, e.g. for a failed case's report;
  // the registry's signal cleanup then leaves it too.
  void KeepDir();

 private:
  ServerProcess(LaunchSpec spec, ProcessRegistry* registry, std::string binary, std::string dir);

  // One start on port_. *port_taken tells the caller a retry on another port may help.
  Status Start(bool fresh_log, bool* port_taken);
  Result<pid_t> ForkExec(int log_fd);
  Status WaitListening(uint64_t log_offset, bool* port_taken);
  // Reaps the leader if it has exited; true if it is gone.
  bool ReapIfExited();
  // Polls ReapIfExited() until the deadline; true if it is gone.
  bool WaitForExit(std::chrono::milliseconds timeout);
  // A start-up failure message: what happened, the command line and the log tail.
  Error StartupError(const std::string& what) const;

  LaunchSpec spec_;
  ProcessRegistry* registry_;
  std::string binary_;     // spec.binary, resolved: what {binary} expands to
  std::string exec_path_;  // argv_[0], resolved: what is executed (may be a wrapper)
  std::string dir_;
  std::vector<std::string> secrets_;
  std::vector<std::string> argv_;
  uint16_t port_ = 0;
  pid_t pid_ = 0;
  bool running_ = false;
  std::optional<int> exit_status_;
  bool keep_dir_ = false;
};

}  // namespace conformance::server
