#include "harness/server/launcher.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "harness/server/find_binary.h"
#include "harness/server/free_port.h"
#include "harness/server/launch_config.h"
#include "harness/server/log_tail.h"
#include "harness/server/proc_inspect.h"
#include "harness/server/temp_dir.h"
#include "harness/server/wait_status.h"

extern char** environ;

namespace conformance::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Polling intervals for conditions only the kernel can tell us about (listening, exited).
constexpr milliseconds kPollInterval{10};
// How long a SIGKILLed process may take to disappear before Stop() gives up.
constexpr milliseconds kKillWait{5000};
// The child reports an exec failure through a pipe; it exits right after.
constexpr int kChildFailureExit = 127;

// Everything the forked child needs, prepared before fork(): in a multi-threaded parent the
// child may only make async-signal-safe calls (no allocation, no locks).
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  const char* dir;
  int stdin_fd;
  int log_fd;
  int error_fd;
  pid_t parent;
  int max_fd;
};

[[noreturn]] void ReportAndExit(int error_fd, int err) {
  ssize_t ignored = write(error_fd, &err, sizeof(err));
  (void)ignored;
  _exit(kChildFailureExit);
}

[[noreturn]] void RunChild(const ChildPlan& plan) {
  setpgid(0, 0);
  // Die with the harness even if it is SIGKILLed; re-check the parent for the race where it
  // died before the prctl.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ReportAndExit(plan.error_fd, errno);
  if (getppid() != plan.parent) _exit(kChildFailureExit);
  // Handlers are reset by exec, but ignored signals and the mask would leak into the server.
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &action, nullptr);
  }
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  if (dup2(plan.stdin_fd, STDIN_FILENO) < 0 || dup2(plan.log_fd, STDOUT_FILENO) < 0 ||
      dup2(plan.log_fd, STDERR_FILENO) < 0) {
    ReportAndExit(plan.error_fd, errno);
  }
  if (chdir(plan.dir) != 0) ReportAndExit(plan.error_fd, errno);
  // No harness socket may leak into the server: a leaked fake-master connection would stay
  // open after the harness closes it. CLOEXEC (not close) keeps the error pipe until exec.
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < plan.max_fd; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  execve(plan.path, plan.argv, plan.envp);
  ReportAndExit(plan.error_fd, errno);
}

bool MentionsAddressInUse(const std::string& text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("address already in use") != std::string::npos ||
         lower.find("addrinuse") != std::string::npos ||
         lower.find("address in use") != std::string::npos;
}

uint64_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

std::string ReadFrom(const std::string& path, uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes a file only its owner may read: a server config may hold passwords.
Status WritePrivateFile(const std::string& path, const std::string& content) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error{fmt::format("cannot write {}: {}", path, std::strerror(errno))};
  // O_CREAT's mode applies to a new file only.
  bool ok = fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < content.size();) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  int error = ok ? 0 : errno;
  if (close(fd) != 0 && error == 0) error = errno;
  if (error != 0) return Error{fmt::format("cannot write {}: {}", path, std::strerror(error))};
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::Spawn(const LaunchSpec& spec,
                                                            ProcessRegistry* registry,
                                                            const PortPicker& pick_port) {
  auto binary = FindBinary(spec.binary);
  if (!binary.ok()) return binary.error();
  auto dir = MakeTempDir();
  if (!dir.ok()) return dir.error();
  if (registry != nullptr && !registry->AddDir(*dir)) {
    RemoveTree(*dir);
    return Error{fmt::format("the process registry takes no more temp dirs ({} at most, paths "
                             "under {} bytes)",
                             ProcessRegistry::kCapacity, ProcessRegistry::kMaxDirPath)};
  }
  std::unique_ptr<ServerProcess> server(
      new ServerProcess(spec, registry, std::move(binary).value(), std::move(dir).value()));
  for (int attempt = 1;; ++attempt) {
    server->port_ = pick_port();
    if (server->port_ == 0) return Error{"cannot pick a free loopback port"};
    bool port_taken = false;
    Status started = server->Start(/*fresh_log=*/true, &port_taken);
    if (started.ok()) return server;
    if (!port_taken || attempt == kMaxPortAttempts) return started.error();
  }
}

ServerProcess::ServerProcess(LaunchSpec spec, ProcessRegistry* registry, std::string binary,
                             std::string dir)
    : spec_(std::move(spec)),
      registry_(registry),
      binary_(std::move(binary)),
      dir_(std::move(dir)),
      secrets_(SecretsOf(spec_)) {}

ServerProcess::~ServerProcess() {
  Status ignored = Stop();  // nothing more can be done about a process that survives SIGKILL
  (void)ignored;
  if (!keep_dir_) RemoveTree(dir_);
  if (registry_ != nullptr) registry_->RemoveDir(dir_);
}

void ServerProcess::KeepDir() {
  keep_dir_ = true;
  if (registry_ != nullptr) registry_->RemoveDir(dir_);
}

std::string ServerProcess::command_line() const {
  return RedactSecrets(FormatCommandLine(argv_), secrets_);
}

Status ServerProcess::Start(bool fresh_log, bool* port_taken) {
  *port_taken = false;
  LaunchVars vars{binary_, port_, dir_, config_path(), spec_.host, spec_.replica_of};
  auto argv = BuildCommand(spec_, vars);
  if (!argv.ok()) return argv.error();
  argv_ = std::move(argv).value();
  if (argv_[0] == binary_) {
    exec_path_ = binary_;
  } else {
    auto program = FindBinary(argv_[0]);
    if (!program.ok()) return program.error();
    exec_path_ = std::move(program).value();
  }
  CONFORMANCE_RETURN_IF_ERROR(
      WritePrivateFile(config_path(), RenderConfig(BuildConfig(spec_, vars))));

  const std::string log = log_path();
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (fresh_log ? O_TRUNC : 0);
  const int log_fd = open(log.c_str(), flags, 0600);
  if (log_fd < 0) return Error{fmt::format("cannot open {}: {}", log, std::strerror(errno))};
  if (!fresh_log) {
    const std::string marker = "\n=== conformance: restarting the server ===\n";
    ssize_t ignored = write(log_fd, marker.data(), marker.size());
    (void)ignored;
  }
  const uint64_t log_offset = FileSize(log);
  auto pid = ForkExec(log_fd);
  close(log_fd);
  if (!pid.ok()) return pid.error();
  return WaitListening(log_offset, port_taken);
}

Result<pid_t> ServerProcess::ForkExec(int log_fd) {
  std::vector<char*> args;
  for (std::string& word : argv_) args.push_back(word.data());
  args.push_back(nullptr);
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) return Error{fmt::format("cannot open /dev/null: {}", std::strerror(errno))};
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    close(devnull);
    return Error{fmt::format("pipe2: {}", std::strerror(errno))};
  }
  rlimit files{};
  const int max_fd = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                         ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20))
                         : 1024;
  const ChildPlan plan{exec_path_.c_str(), args.data(), environ,  dir_.c_str(), devnull,
                       log_fd,          error_pipe[1], getpid(), max_fd};

  const pid_t pid = fork();
  if (pid == 0) RunChild(plan);
  const int fork_errno = errno;
  close(error_pipe[1]);
  close(devnull);
  if (pid < 0) {
    close(error_pipe[0]);
    return Error{fmt::format("fork: {}", std::strerror(fork_errno))};
  }
  // Also from the parent, so that a group kill right after fork cannot miss the child.
  setpgid(pid, pid);
  pid_ = pid;
  running_ = true;
  exit_status_.reset();
  if (registry_ != nullptr && !registry_->Add(pid)) {
    close(error_pipe[0]);
    kill(-pid, SIGKILL);
    WaitForExit(kKillWait);
    return Error{fmt::format("the process registry is full ({} servers)",
                             ProcessRegistry::kCapacity)};
  }

  // The pipe closes on a successful exec, or carries errno if the exec failed.
  int child_errno = 0;
  ssize_t got = -1;
  pollfd wait_for{error_pipe[0], POLLIN, 0};
  const int timeout_ms = static_cast<int>(spec_.start_timeout.count());
  const auto deadline = Clock::now() + spec_.start_timeout;
  int ready = 0;
  do {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    ready = poll(&wait_for, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
  } while (ready < 0 && errno == EINTR);
  if (ready == 1) {
    do {
      got = read(error_pipe[0], &child_errno, sizeof(child_errno));
    } while (got < 0 && errno == EINTR);
  }
  close(error_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof(child_errno))) {
    WaitForExit(kKillWait);
    return StartupError(
        fmt::format("cannot execute {}: {}", exec_path_, std::strerror(child_errno)));
  }
  if (got != 0) {
    Status stopped = Stop();
    (void)stopped;
    return StartupError(fmt::format("the child did not exec within {} ms", timeout_ms));
  }
  return pid;
}

Status ServerProcess::WaitListening(uint64_t log_offset, bool* port_taken) {
  const auto deadline = Clock::now() + spec_.start_timeout;
  while (true) {
    if (ReapIfExited()) {
      *port_taken = MentionsAddressInUse(ReadFrom(log_path(), log_offset));
      return StartupError(fmt::format("the server ended during start-up ({}){}", DescribeExit(),
                                      *port_taken ? fmt::format(" (port {} taken)", port_) : ""));
    }
    auto listening = GroupListensOn(pid_, port_);
    if (!listening.ok()) {
      Status stopped = Stop();
      (void)stopped;
      return StartupError(listening.message());
    }
    if (*listening) return OkStatus();
    if (Clock::now() >= deadline) {
      Status stopped = Stop();
      (void)stopped;
      return StartupError(fmt::format("the server did not listen on {}:{} within {} ms",
                                      spec_.host, port_, spec_.start_timeout.count()));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

Error ServerProcess::StartupError(const std::string& what) const {
  return Error{fmt::format("{}\n  command: {}\n  log tail:\n{}", what, command_line(),
                           IndentLines(LogTail(kErrorLogLines), "    ")),
               ErrorKind::kGeneric};
}

bool ServerProcess::ReapIfExited() {
  if (!running_) return true;
  siginfo_t info{};
  // WNOWAIT leaves the leader a zombie, which keeps its pid (our process group id) from being
  // recycled while we kill what is left of the group.
  if (waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno == EINTR) return false;
    // ECHILD: reaped elsewhere (e.g. SIGCHLD ignored); the status is lost.
    if (registry_ != nullptr) registry_->Remove(pid_);
    running_ = false;
    return true;
  }
  if (info.si_pid == 0) return false;
  kill(-pid_, SIGKILL);
  if (registry_ != nullptr) registry_->Remove(pid_);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) exit_status_ = status;
  running_ = false;
  return true;
}

bool ServerProcess::WaitForExit(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!ReapIfExited()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool ServerProcess::IsAlive() { return !ReapIfExited(); }

std::optional<int> ServerProcess::exit_status() {
  ReapIfExited();
  return exit_status_;
}

std::string ServerProcess::DescribeExit() {
  if (!ReapIfExited()) return fmt::format("running (pid {})", pid_);
  if (!exit_status_) return "ended (status unknown: reaped elsewhere)";
  return DescribeWaitStatus(*exit_status_);
}

Status ServerProcess::Stop() {
  if (ReapIfExited()) return OkStatus();
  kill(pid_, SIGTERM);
  kill(pid_, SIGCONT);
  if (WaitForExit(spec_.stop_timeout)) return OkStatus();
  kill(-pid_, SIGKILL);
  if (WaitForExit(kKillWait)) return OkStatus();
  return Error{fmt::format("server pid {} survived SIGKILL for {} ms", pid_, kKillWait.count())};
}

Status ServerProcess::Restart() {
  CONFORMANCE_RETURN_IF_ERROR(Stop());
  bool port_taken = false;
  return Start(/*fresh_log=*/false, &port_taken);
}

void ServerProcess::Signal(int sig) {
  if (!ReapIfExited()) kill(pid_, sig);
}

std::string ServerProcess::LogTail(size_t lines) const {
  return RedactSecrets(ReadLogTail(log_path(), lines), secrets_);
}

}  // namespace conformance::server
