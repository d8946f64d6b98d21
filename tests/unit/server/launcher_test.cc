#include "harness/server/launcher.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/server/free_port.h"
#include "harness/server/proc_inspect.h"
#include "harness/server/temp_dir.h"
#include "tests/unit/server/test_support.h"

namespace conformance::server {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::FileContains;
using testing::ProcessGone;
using testing::RawCall;
using testing::WaitFor;

constexpr char kPing[] = "PING\r\n";

class LauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server not installed";
  }

  std::unique_ptr<ServerProcess> SpawnOrDie(const LaunchSpec& spec = {},
                                            ProcessRegistry* registry = nullptr) {
    auto server = ServerProcess::Spawn(spec, registry);
    EXPECT_TRUE(server.ok()) << server.message();
    return server.ok() ? std::move(server).value() : nullptr;
  }
};

TEST_F(LauncherTest, StartsAnswersAndCapturesItsLog) {
  auto server = SpawnOrDie();
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  EXPECT_TRUE(server->IsAlive());
  EXPECT_THAT(std::filesystem::path(server->dir()).filename().string(),
              StartsWith("conformance-"));
  EXPECT_EQ(RawCall(server->port(), kPing), "+PONG\r\n");
  EXPECT_TRUE(FileContains(server->config_path(), "port " + std::to_string(server->port())));
  EXPECT_TRUE(WaitFor([&] { return FileContains(server->log_path(), "Ready to accept"); }));
  EXPECT_THAT(server->LogTail(50), HasSubstr("Ready to accept"));
  EXPECT_THAT(server->DescribeExit(), StartsWith("running (pid "));
  EXPECT_EQ(server->exit_status(), std::nullopt);
  EXPECT_THAT(server->command_line(), HasSubstr("server.conf"));
}

TEST_F(LauncherTest, StopKillsItAndIsIdempotent) {
  auto server = SpawnOrDie();
  ASSERT_NE(server, nullptr);
  const pid_t pid = server->pid();
  ASSERT_TRUE(server->Stop().ok());
  EXPECT_FALSE(server->IsAlive());
  EXPECT_EQ(kill(pid, 0), -1);  // reaped: the pid no longer exists
  EXPECT_EQ(server->DescribeExit(), "exited 0");
  EXPECT_EQ(RawCall(server->port(), kPing, milliseconds(200)), "");
  EXPECT_TRUE(server->Stop().ok());
  EXPECT_TRUE(std::filesystem::exists(server->log_path()));
}

TEST_F(LauncherTest, DestructorStopsTheServerAndRemovesTheDir) {
  pid_t pid = 0;
  std::string dir;
  auto early_return = [&]() -> bool {
    auto server = SpawnOrDie();
    if (server == nullptr) return false;
    pid = server->pid();
    dir = server->dir();
    return true;  // e.g. a failed check: the server must not outlive this scope
  };
  ASSERT_TRUE(early_return());
  EXPECT_TRUE(ProcessGone(pid));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(LauncherTest, KeepDirKeepsTheLog) {
  std::string dir;
  {
    auto server = SpawnOrDie();
    ASSERT_NE(server, nullptr);
    server->KeepDir();
    dir = server->dir();
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/server.log"));
  RemoveTree(dir);
}

TEST_F(LauncherTest, StopKillsTheWholeProcessGroup) {
  // A wrapper that leaves a child behind in the server's process group.
  LaunchSpec spec;
  spec.command = {"/bin/sh", "-c", "sleep 300 & exec \"$0\" \"$@\"", "{binary}", "{config}"};
  auto server = SpawnOrDie(spec);
  ASSERT_NE(server, nullptr);
  std::vector<pid_t> members;
  ASSERT_TRUE(WaitFor([&] {
    members = ProcessGroupMembers(server->pid());
    return members.size() == 2;
  }));
  ASSERT_TRUE(server->Stop().ok());
  for (pid_t member : members) {
    EXPECT_TRUE(WaitFor([&] { return ProcessGone(member); })) << "pid " << member;
  }
}

TEST_F(LauncherTest, CrashedLeaderTakesItsRdbChildWithIt) {
  auto server = SpawnOrDie();
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();
  // A slow BGSAVE: 100 keys at 0.1 s each keeps the fork child alive for ~10 s.
  ASSERT_EQ(RawCall(port, "CONFIG SET rdb-key-save-delay 100000\r\n"), "+OK\r\n");
  ASSERT_EQ(RawCall(port, "DEBUG POPULATE 100\r\n"), "+OK\r\n");
  ASSERT_THAT(RawCall(port, "BGSAVE\r\n"), StartsWith("+Background saving started"));
  pid_t child = 0;
  ASSERT_TRUE(WaitFor([&] {
    for (pid_t member : ProcessGroupMembers(server->pid())) {
      if (member != server->pid()) child = member;
    }
    return child != 0;
  }));
  // SIGKILL gives Redis no chance to kill its child; the launcher must.
  server->Signal(SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return !server->IsAlive(); }));
  EXPECT_THAT(server->DescribeExit(), HasSubstr("killed by signal 9 (SIGKILL)"));
  EXPECT_TRUE(WaitFor([&] { return ProcessGone(child); }));
}

TEST_F(LauncherTest, BinFalseFailsFastWithAClearMessage) {
  LaunchSpec spec;
  spec.binary = "/bin/false";
  const auto start = std::chrono::steady_clock::now();
  auto server = ServerProcess::Spawn(spec, nullptr);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().kind, ErrorKind::kGeneric);
  EXPECT_THAT(server.message(), HasSubstr("ended during start-up (exited 1)"));
  EXPECT_THAT(server.message(), HasSubstr("command: /bin/false "));
  EXPECT_THAT(server.message(), HasSubstr("log tail:"));
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST_F(LauncherTest, MissingBinaryFailsClearly) {
  LaunchSpec spec;
  spec.binary = "/nonexistent/redis-server";
  auto by_path = ServerProcess::Spawn(spec, nullptr);
  ASSERT_FALSE(by_path.ok());
  EXPECT_EQ(by_path.error().kind, ErrorKind::kGeneric);
  EXPECT_THAT(by_path.message(), HasSubstr("'/nonexistent/redis-server' does not exist"));

  spec.binary = "no-such-server-binary-xyz";
  auto by_name = ServerProcess::Spawn(spec, nullptr);
  ASSERT_FALSE(by_name.ok());
  EXPECT_THAT(by_name.message(), HasSubstr("'no-such-server-binary-xyz' not found in PATH"));
}

TEST_F(LauncherTest, UnexecutableFileFailsWithTheExecError) {
  auto dir = MakeTempDir();
  ASSERT_TRUE(dir.ok());
  const std::string path = *dir + "/not-a-program";
  std::ofstream(path) << "\x7f" "ELF garbage";
  chmod(path.c_str(), 0700);
  LaunchSpec spec;
  spec.binary = path;
  auto server = ServerProcess::Spawn(spec, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.message(), HasSubstr("cannot execute " + path + ": Exec format error"));
  RemoveTree(*dir);
}

TEST_F(LauncherTest, RejectedConfigReportsTheLogWithoutSecrets) {
  LaunchSpec spec;
  spec.config = {{"masterauth", "hunter2"}, {"bogus-directive", "hunter2"}};
  auto server = ServerProcess::Spawn(spec, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.message(), HasSubstr("exited 1"));
  EXPECT_THAT(server.message(), HasSubstr("Bad directive"));
  EXPECT_THAT(server.message(), HasSubstr("<redacted>"));
  EXPECT_THAT(server.message(), Not(HasSubstr("hunter2")));
}

TEST_F(LauncherTest, ServerThatNeverListensTimesOut) {
  LaunchSpec spec;
  spec.binary = "/bin/sleep";
  spec.command = {"{binary}", "30"};
  spec.start_timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto server = ServerProcess::Spawn(spec, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.message(), HasSubstr("did not listen on 127.0.0.1:"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(LauncherTest, TwoServersInParallelGetDifferentPorts) {
  auto a = SpawnOrDie();
  auto b = SpawnOrDie();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a->port(), b->port());
  EXPECT_NE(a->dir(), b->dir());
  EXPECT_EQ(RawCall(a->port(), kPing), "+PONG\r\n");
  EXPECT_EQ(RawCall(b->port(), kPing), "+PONG\r\n");
}

TEST_F(LauncherTest, RetriesWithAnotherPortWhenThePortIsTaken) {
  const int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const uint16_t taken = ntohs(addr.sin_port);
  int picks = 0;
  auto server = ServerProcess::Spawn(LaunchSpec{}, nullptr, [&]() -> uint16_t {
    return ++picks == 1 ? taken : PickFreePort();
  });
  close(holder);
  ASSERT_TRUE(server.ok()) << server.message();
  EXPECT_EQ(picks, 2);
  EXPECT_NE((*server)->port(), taken);
  EXPECT_EQ(RawCall((*server)->port(), kPing), "+PONG\r\n");
}

TEST_F(LauncherTest, GivesUpAfterTooManyTakenPorts) {
  const int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const uint16_t taken = ntohs(addr.sin_port);
  int picks = 0;
  auto server = ServerProcess::Spawn(LaunchSpec{}, nullptr, [&] {
    ++picks;
    return taken;
  });
  close(holder);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(picks, ServerProcess::kMaxPortAttempts);
  EXPECT_THAT(server.message(), HasSubstr("port " + std::to_string(taken) + " taken"));
}

TEST_F(LauncherTest, RestartKeepsPortDirAndData) {
  LaunchSpec spec;
  spec.config = {{"save", "3600 1"}};  // so that SIGTERM writes dump.rdb
  auto server = SpawnOrDie(spec);
  ASSERT_NE(server, nullptr);
  const uint16_t port = server->port();
  const pid_t old_pid = server->pid();
  ASSERT_EQ(RawCall(port, "SET k v\r\n"), "+OK\r\n");
  ASSERT_TRUE(server->Restart().ok());
  EXPECT_EQ(server->port(), port);
  EXPECT_NE(server->pid(), old_pid);
  EXPECT_TRUE(ProcessGone(old_pid));
  EXPECT_TRUE(std::filesystem::exists(server->dir() + "/dump.rdb"));
  EXPECT_EQ(RawCall(port, "GET k\r\n"), "$1\r\nv\r\n");
  EXPECT_THAT(server->LogTail(1000), HasSubstr("=== conformance: restarting the server ==="));
}

TEST_F(LauncherTest, StopAndContinue) {
  auto server = SpawnOrDie();
  ASSERT_NE(server, nullptr);
  server->Signal(SIGSTOP);
  EXPECT_EQ(RawCall(server->port(), kPing, milliseconds(200)), "");
  EXPECT_TRUE(server->IsAlive());
  server->Signal(SIGCONT);
  EXPECT_EQ(RawCall(server->port(), kPing), "+PONG\r\n");
  // A stopped server still stops on Stop() (it gets SIGCONT after SIGTERM).
  server->Signal(SIGSTOP);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(server->Stop().ok());
  EXPECT_EQ(server->DescribeExit(), "exited 0");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(LauncherTest, StopEscalatesToSigkill) {
  // A wrapper shell that ignores SIGTERM and keeps the server in the foreground.
  LaunchSpec spec;
  spec.command = {"/bin/sh", "-c", "trap '' TERM; \"$0\" \"$@\"; sleep 300", "{binary}",
                  "{config}"};
  spec.stop_timeout = milliseconds(300);
  auto server = SpawnOrDie(spec);
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->Stop().ok());
  EXPECT_EQ(server->DescribeExit(), "killed by signal 9 (SIGKILL)");
}

TEST_F(LauncherTest, RegistryTracksServersUntilTheyAreReaped) {
  ProcessRegistry registry;
  auto server = SpawnOrDie({}, &registry);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(registry.size(), 1u);
  registry.KillAll();
  ASSERT_TRUE(WaitFor([&] { return !server->IsAlive(); }));
  EXPECT_EQ(server->DescribeExit(), "killed by signal 9 (SIGKILL)");
  EXPECT_EQ(registry.size(), 0u);
}

TEST_F(LauncherTest, ConfigIsReadableByItsOwnerOnly) {
  // Whatever the umask, a config may hold requirepass/masterauth.
  const mode_t old_umask = umask(022);
  LaunchSpec spec;
  spec.config.emplace_back("requirepass", "hunter2");
  auto server = SpawnOrDie(spec);
  umask(old_umask);
  ASSERT_NE(server, nullptr);
  struct stat st {};
  ASSERT_EQ(stat(server->config_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(server->Restart().ok());
  ASSERT_EQ(stat(server->config_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LauncherTest, RegistryTracksTheTempDirUntilItIsRemovedOrKept) {
  ProcessRegistry registry;
  std::string dir;
  {
    auto server = SpawnOrDie({}, &registry);
    ASSERT_NE(server, nullptr);
    dir = server->dir();
    EXPECT_EQ(registry.dir_count(), 1u);
  }
  EXPECT_EQ(registry.dir_count(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir));
  {
    auto kept = SpawnOrDie({}, &registry);
    ASSERT_NE(kept, nullptr);
    dir = kept->dir();
    kept->KeepDir();  // asked for: a signal leaves it too
    EXPECT_EQ(registry.dir_count(), 0u);
  }
  EXPECT_TRUE(std::filesystem::exists(dir));
  RemoveTree(dir);
}

TEST_F(LauncherTest, SignalCleanupRemovesARunningServersDir) {
  ProcessRegistry registry;
  LaunchSpec spec;
  spec.config.emplace_back("requirepass", "hunter2");
  auto server = SpawnOrDie(spec, &registry);
  ASSERT_NE(server, nullptr);
  registry.CleanUp();
  EXPECT_FALSE(std::filesystem::exists(server->dir()));
  ASSERT_TRUE(WaitFor([&] { return !server->IsAlive(); }));
  EXPECT_EQ(server->DescribeExit(), "killed by signal 9 (SIGKILL)");
}

TEST_F(LauncherTest, DoesNotLeakHarnessDescriptorsIntoTheServer) {
  // A harness socket without CLOEXEC, like a fake master's listener.
  const int leaky = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(leaky, 0);
  auto server = SpawnOrDie();
  ASSERT_NE(server, nullptr);
  const std::string fd_dir = "/proc/" + std::to_string(server->pid()) + "/fd";
  char target[128];
  const std::string self_link = "/proc/self/fd/" + std::to_string(leaky);
  const ssize_t n = readlink(self_link.c_str(), target, sizeof(target) - 1);
  ASSERT_GT(n, 0);
  const std::string socket_name(target, static_cast<size_t>(n));
  for (const auto& entry : std::filesystem::directory_iterator(fd_dir)) {
    std::error_code ec;
    EXPECT_NE(std::filesystem::read_symlink(entry.path(), ec).string(), socket_name);
  }
  close(leaky);
}

}  // namespace
}  // namespace conformance::server
