#include "harness/server/process_registry.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/server/temp_dir.h"
#include "tests/unit/server/test_support.h"

namespace conformance::server {
namespace {

using testing::ProcessGone;
using testing::WaitFor;

// A `sleep 60` in its own process group, without PR_SET_PDEATHSIG: only a group kill ends it
// early.
pid_t StartSleeper() {
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

TEST(ProcessRegistry, AddRemoveAndCapacity) {
  ProcessRegistry registry;
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_FALSE(registry.Add(0));
  EXPECT_FALSE(registry.Add(-5));
  for (size_t i = 0; i < ProcessRegistry::kCapacity; ++i) {
    ASSERT_TRUE(registry.Add(static_cast<pid_t>(1000000 + i)));
  }
  EXPECT_FALSE(registry.Add(2000000));
  EXPECT_EQ(registry.size(), ProcessRegistry::kCapacity);
  registry.Remove(1000000);
  EXPECT_EQ(registry.size(), ProcessRegistry::kCapacity - 1);
  registry.Remove(1000000);  // already gone: no effect
  EXPECT_TRUE(registry.Add(2000000));
  for (size_t i = 1; i < ProcessRegistry::kCapacity; ++i) {
    registry.Remove(static_cast<pid_t>(1000000 + i));
  }
  registry.Remove(2000000);
  EXPECT_EQ(registry.size(), 0u);
}

TEST(ProcessRegistry, KillAllKillsEveryRegisteredGroup) {
  ProcessRegistry registry;
  const pid_t a = StartSleeper();
  const pid_t b = StartSleeper();
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  ASSERT_TRUE(registry.Add(a));
  ASSERT_TRUE(registry.Add(b));
  registry.KillAll();
  for (pid_t pid : {a, b}) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);  // SIGKILL cannot be blocked: this returns
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
  }
}

TEST(ProcessRegistryDeathTest, SignalCleanupKillsServersAndReRaises) {
  // "fast" forks without re-running the test, so the child writes where the parent reads.
  GTEST_FLAG_SET(death_test_style, "fast");
  auto dir = MakeTempDir();
  ASSERT_TRUE(dir.ok());
  const std::string pid_file = *dir + "/sleeper.pid";
  EXPECT_EXIT(
      {
        ProcessRegistry registry;
        const pid_t sleeper = StartSleeper();
        registry.Add(sleeper);
        std::ofstream(pid_file) << sleeper;
        InstallSignalCleanup(&registry);
        raise(SIGTERM);
        _exit(0);  // not reached: the re-raised SIGTERM ends the process
      },
      ::testing::KilledBySignal(SIGTERM), "");
  pid_t sleeper = 0;
  std::ifstream(pid_file) >> sleeper;
  ASSERT_GT(sleeper, 0);
  // The sleeper was the dead child's; init reaps it. It must not live on for 60 s.
  EXPECT_TRUE(WaitFor([&] { return ProcessGone(sleeper); }));
  RemoveTree(*dir);
}

// A temp dir like a server's: a config with a password, a log, and a nested AOF dir.
std::string MakeServerLikeDir() {
  auto dir = MakeTempDir();
  EXPECT_TRUE(dir.ok()) << dir.message();
  if (!dir.ok()) return "";
  std::ofstream(*dir + "/server.conf") << "requirepass hunter2\n";
  std::ofstream(*dir + "/server.log") << "log\n";
  std::filesystem::create_directories(*dir + "/appendonlydir/deeper");
  std::ofstream(*dir + "/appendonlydir/appendonly.aof.1.base.rdb") << "REDIS";
  std::ofstream(*dir + "/appendonlydir/deeper/file") << "x";
  return *dir;
}

TEST(RemoveTreeSignalSafe, RemovesNestedFilesAndDirsButNotSymlinkTargets) {
  const std::string dir = MakeServerLikeDir();
  ASSERT_FALSE(dir.empty());
  auto outside = MakeTempDir();
  ASSERT_TRUE(outside.ok());
  std::ofstream(*outside + "/kept") << "kept";
  std::filesystem::create_directory_symlink(*outside, dir + "/link");
  for (int i = 0; i < 300; ++i) std::ofstream(dir + "/many-" + std::to_string(i)) << i;
  EXPECT_TRUE(RemoveTreeSignalSafe(dir.c_str()));
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_TRUE(std::filesystem::exists(*outside + "/kept"));
  EXPECT_TRUE(RemoveTreeSignalSafe(dir.c_str()));  // already gone
  RemoveTree(*outside);
}

TEST(ProcessRegistry, DirsAreTrackedAndRemovedOnCleanUp) {
  ProcessRegistry registry;
  const std::string a = MakeServerLikeDir();
  const std::string b = MakeServerLikeDir();
  ASSERT_TRUE(registry.AddDir(a));
  ASSERT_TRUE(registry.AddDir(b));
  EXPECT_FALSE(registry.AddDir(std::string(ProcessRegistry::kMaxDirPath, 'x')));
  EXPECT_EQ(registry.dir_count(), 2u);
  registry.RemoveDir(b);  // forgotten: kept
  EXPECT_EQ(registry.dir_count(), 1u);
  registry.CleanUp();
  EXPECT_FALSE(std::filesystem::exists(a));
  EXPECT_TRUE(std::filesystem::exists(b));
  // Once cleaning up, nothing new is taken.
  EXPECT_FALSE(registry.AddDir(b));
  EXPECT_FALSE(registry.Add(1000000));
  RemoveTree(b);
}

TEST(ProcessRegistryDeathTest, SignalCleanupRemovesRegisteredDirs) {
  GTEST_FLAG_SET(death_test_style, "fast");
  const std::string dir = MakeServerLikeDir();
  ASSERT_FALSE(dir.empty());
  EXPECT_EXIT(
      {
        ProcessRegistry registry;
        const pid_t sleeper = StartSleeper();
        registry.Add(sleeper);
        registry.AddDir(dir);
        InstallSignalCleanup(&registry);
        raise(SIGINT);
        _exit(0);  // not reached: the re-raised SIGINT ends the process
      },
      ::testing::KilledBySignal(SIGINT), "");
  EXPECT_FALSE(std::filesystem::exists(dir));
  RemoveTree(dir);
}

TEST(ProcessRegistry, DestructorUninstallsTheHandler) {
  {
    ProcessRegistry registry;
    InstallSignalCleanup(&registry);
  }
  struct sigaction current {};
  sigaction(SIGTERM, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace conformance::server
