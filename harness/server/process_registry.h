// Every server the harness starts is registered here so that a SIGINT/SIGTERM handler can kill
// them all before the harness dies. (PR_SET_PDEATHSIG already kills a server whose harness is
// SIGKILLed; the registry also takes the server's fork children, e.g. an RDB save child.) Their
// temp dirs are registered too, and the handler removes them: a server.conf holds passwords.
//
// Ownership: the program's main owns one registry and passes it to the launcher; it installs
// the handler with InstallSignalCleanup(). That handler's pointer to the registry is the one
// piece of global mutable state in this layer, because a signal handler can reach nothing else.
// A program that handles SIGINT itself (e.g. with an asio::signal_set) should not install the
// handler and call CleanUp() from its own handler instead: only one can own the signal.
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace conformance::server {

class ProcessRegistry {
 public:
  static constexpr size_t kCapacity = 256;
  // Longest temp dir path kept (with its NUL); a longer one is refused.
  static constexpr size_t kMaxDirPath = 1024;

  ProcessRegistry();
  // Uninstalls the signal handler if it points at this registry.
  ~ProcessRegistry();
  ProcessRegistry(const ProcessRegistry&) = delete;
  ProcessRegistry& operator=(const ProcessRegistry&) = delete;

  // Records a process group (its leader's pid); false if the registry is full or cleaning up.
  bool Add(pid_t pgid);
  // Forgets a process group (call before reaping its leader, so a recycled pid is never hit).
  void Remove(pid_t pgid);
  // SIGKILLs every registered process group. Async-signal-safe: atomics and kill() only.
  void KillAll();
  size_t size() const;

  // Records a temp dir to remove on a signal; false if the registry is full, the path too long,
  // or the registry is cleaning up.
  bool AddDir(const std::string& path);
  // Forgets a temp dir (once removed, or when it is to be kept).
  void RemoveDir(const std::string& path);
  // Removes every registered dir and all in it, retrying briefly while a dying server may still
  // write. Async-signal-safe: atomics and system calls only. Call after KillAll().
  void RemoveAllDirs();
  size_t dir_count() const;

  // What the signal handler does: takes nothing new, SIGKILLs every group, removes every dir.
  // Async-signal-safe.
  void CleanUp();

 private:
  static_assert(std::atomic<pid_t>::is_always_lock_free);
  enum DirState : uint8_t { kFree, kBusy, kReady };  // kBusy: being written or forgotten
  struct DirSlot {
    std::atomic<uint8_t> state{kFree};
    char path[kMaxDirPath] = {};
  };
  static_assert(std::atomic<uint8_t>::is_always_lock_free);

  std::array<std::atomic<pid_t>, kCapacity> pgids_;  // 0 = free slot
  std::unique_ptr<DirSlot[]> dirs_;                  // kCapacity slots, allocated up front
  std::atomic<bool> closed_{false};                  // CleanUp() began
};

// Installs handlers for SIGINT, SIGTERM and SIGHUP that call registry->CleanUp(), restore the
// default action and re-raise the signal, so the program still dies of it (exit status intact).
// Call from main before starting servers; `registry` must outlive the handler (its destructor
// uninstalls it).
void InstallSignalCleanup(ProcessRegistry* registry);

// Restores the default action for those signals.
void UninstallSignalCleanup();

}  // namespace conformance::server
