#include "harness/server/process_registry.h"

#include <signal.h>

#include <cerrno>

namespace conformance::server {
namespace {

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Read by the signal handler; see the header for why this global exists.
std::atomic<ProcessRegistry*> g_signal_registry{nullptr};
static_assert(std::atomic<ProcessRegistry*>::is_always_lock_free);

void CleanupHandler(int sig) {
  const int saved_errno = errno;
  if (ProcessRegistry* registry = g_signal_registry.load()) registry->KillAll();
  // SA_RESETHAND restored the default action; the re-raised signal is delivered, with that
  // action, once this handler returns.
  raise(sig);
  errno = saved_errno;
}

}  // namespace

ProcessRegistry::ProcessRegistry() {
  for (auto& slot : pgids_) slot.store(0);
}

ProcessRegistry::~ProcessRegistry() {
  ProcessRegistry* self = this;
  if (g_signal_registry.compare_exchange_strong(self, nullptr)) UninstallSignalCleanup();
}

bool ProcessRegistry::Add(pid_t pgid) {
  if (pgid <= 0) return false;
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
