#include "harness/server/process_registry.h"

#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "harness/server/temp_dir.h"

namespace conformance::server {
namespace {

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};
// A SIGKILLed server may finish a write after kill() returns: what is left is removed again.
constexpr int kDirRemovalAttempts = 200;
constexpr long kDirRemovalPauseNs = 10'000'000;

// Read by the signal handler; see the header for why this global exists.
std::atomic<ProcessRegistry*> g_signal_registry{nullptr};
static_assert(std::atomic<ProcessRegistry*>::is_always_lock_free);

void CleanupHandler(int sig) {
  const int saved_errno = errno;
  if (ProcessRegistry* registry = g_signal_registry.load()) registry->CleanUp();
  // SA_RESETHAND restored the default action; the re-raised signal is delivered, with that
  // action, once this handler returns.
  raise(sig);
  errno = saved_errno;
}

}  // namespace

ProcessRegistry::ProcessRegistry() : dirs_(new DirSlot[kCapacity]) {
  for (auto& slot : pgids_) slot.store(0);
}

ProcessRegistry::~ProcessRegistry() {
  ProcessRegistry* self = this;
  if (g_signal_registry.compare_exchange_strong(self, nullptr)) UninstallSignalCleanup();
}

bool ProcessRegistry::Add(pid_t pgid) {
  if (pgid <= 0 || closed_.load()) return false;
  for (auto& slot : pgids_) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) return true;
  }
  return false;
}

void ProcessRegistry::Remove(pid_t pgid) {
  if (pgid <= 0) return;
  for (auto& slot : pgids_) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void ProcessRegistry::KillAll() {
  for (auto& slot : pgids_) {
    const pid_t pgid = slot.load();
    if (pgid > 0) kill(-pgid, SIGKILL);
  }
}

size_t ProcessRegistry::size() const {
  size_t count = 0;
  for (const auto& slot : pgids_) count += slot.load() > 0 ? 1 : 0;
  return count;
}

bool ProcessRegistry::AddDir(const std::string& path) {
  if (path.empty() || path.size() >= kMaxDirPath || closed_.load()) return false;
  for (size_t i = 0; i < kCapacity; ++i) {
    DirSlot& slot = dirs_[i];
    uint8_t expected = kFree;
    if (!slot.state.compare_exchange_strong(expected, kBusy)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.state.store(kReady);
    return true;
  }
  return false;
}

void ProcessRegistry::RemoveDir(const std::string& path) {
  for (size_t i = 0; i < kCapacity; ++i) {
    DirSlot& slot = dirs_[i];
    uint8_t expected = kReady;
    if (slot.state.load() != kReady || path != slot.path) continue;
    if (!slot.state.compare_exchange_strong(expected, kBusy)) continue;
    slot.path[0] = '\0';
    slot.state.store(kFree);
    return;
  }
}

void ProcessRegistry::RemoveAllDirs() {
  for (int attempt = 0; attempt < kDirRemovalAttempts; ++attempt) {
    bool all_gone = true;
    for (size_t i = 0; i < kCapacity; ++i) {
      const DirSlot& slot = dirs_[i];
      if (slot.state.load() == kReady && !RemoveTreeSignalSafe(slot.path)) all_gone = false;
    }
    if (all_gone) return;
    const timespec pause{0, kDirRemovalPauseNs};
    nanosleep(&pause, nullptr);
  }
}

size_t ProcessRegistry::dir_count() const {
  size_t count = 0;
  for (size_t i = 0; i < kCapacity; ++i) count += dirs_[i].state.load() == kReady ? 1 : 0;
  return count;
}

void ProcessRegistry::CleanUp() {
  closed_.store(true);
  KillAll();
  RemoveAllDirs();
}

void InstallSignalCleanup(ProcessRegistry* registry) {
  g_signal_registry.store(registry);
  struct sigaction action {};
  action.sa_handler = CleanupHandler;
  sigemptyset(&action.sa_mask);
  for (int sig : kCleanupSignals) sigaddset(&action.sa_mask, sig);
  action.sa_flags = SA_RESETHAND;
  for (int sig : kCleanupSignals) sigaction(sig, &action, nullptr);
}

void UninstallSignalCleanup() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int sig : kCleanupSignals) sigaction(sig, &action, nullptr);
  g_signal_registry.store(nullptr);
}

}  // namespace conformance::server
