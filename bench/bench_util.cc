#include "bench/bench_util.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace conformance::bench {

namespace {

constexpr size_t kKeptOutput = 4096;
constexpr std::chrono::milliseconds kExitPollInterval{2};

uint64_t StatusField(const char* name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(name, 0) == 0) {
      std::istringstream fields(line.substr(std::string(name).size()));
      uint64_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

std::string ReadTail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > kKeptOutput ? text.substr(text.size() - kKeptOutput) : text;
}

}  // namespace

Result<ProcessOutcome> RunProcess(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout) {
  char log_template[] = "/tmp/bench-process-XXXXXX";
  const int log_fd = mkstemp(log_template);
  if (log_fd < 0) return Error{"mkstemp failed"};
  const std::string log_path = log_template;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log_fd, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const auto start = Clock::now();
  const int spawned = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(log_fd);
  if (spawned != 0) {
    unlink(log_path.c_str());
    return Error{fmt::format("cannot run {}: {}", argv[0], strerror(spawned))};
  }
  ProcessOutcome outcome;
  int status = 0;
  // Waits for the exit on a pidfd (Linux >= 5.3), each wait bounded by what is left of the
  // deadline; without pidfds, polls waitpid at a short interval.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  while (waitpid(pid, &status, WNOHANG) != pid) {
    const auto left =
        timeout - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (left.count() <= 0) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      if (pidfd >= 0) close(pidfd);
      const std::string tail = ReadTail(log_path);
      unlink(log_path.c_str());
      return Error{
          fmt::format("{} did not finish within {} ms: {}", argv[0], timeout.count(), tail)};
    }
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      poll(&exited, 1, static_cast<int>(left.count()));
    } else {
      std::this_thread::sleep_for(std::min(left, kExitPollInterval));
    }
  }
  if (pidfd >= 0) close(pidfd);
  outcome.seconds = SecondsSince(start);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.output = ReadTail(log_path);
  unlink(log_path.c_str());
  return outcome;
}

uint64_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

void TrimHeap() { malloc_trim(0); }

uint64_t RssBytes() { return StatusField("VmRSS:"); }
uint64_t PeakRssBytes() { return StatusField("VmHWM:"); }

bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return fmt::format("{} {} {}", one, five, fifteen);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace conformance::bench
