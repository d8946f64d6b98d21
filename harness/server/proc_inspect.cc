#include "harness/server/proc_inspect.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace conformance::server {
namespace {

constexpr std::string_view kListenState = "0A";

// Inodes of sockets listening on `port` in one /proc/net/tcp* table; false if unreadable.
bool ReadListeningInodes(const char* table, uint16_t port, std::vector<std::string>* inodes) {
  std::ifstream in(table);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode)) {
      continue;
    }
    const size_t colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    unsigned local_port = 0;
    const char* begin = local.data() + colon + 1;
    const char* end = local.data() + local.size();
    if (std::from_chars(begin, end, local_port, 16).ec != std::errc() || local_port != port) {
      continue;
    }
    inodes->push_back("socket:[" + inode + "]");
  }
  return true;
}

bool OwnsAnyOf(pid_t pid, const std::vector<std::string>& sockets) {
  const std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(fd_dir.c_str());
  if (dir == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    char target[128];
    const std::string link = fd_dir + "/" + entry->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    if (std::find(sockets.begin(), sockets.end(), std::string_view(target, n)) != sockets.end()) {
      found = true;
      break;
    }
  }
  closedir(dir);
  return found;
}

}  // namespace

Result<bool> GroupListensOn(pid_t leader, uint16_t port) {
  std::vector<std::string> sockets;
  const bool v4 = ReadListeningInodes("/proc/net/tcp", port, &sockets);
  const bool v6 = ReadListeningInodes("/proc/net/tcp6", port, &sockets);
  if (!v4 && !v6) return Error{"cannot read /proc/net/tcp to see whether the server listens"};
  if (sockets.empty()) return false;
  if (OwnsAnyOf(leader, sockets)) return true;
  for (pid_t member : ProcessGroupMembers(leader)) {
    if (member != leader && OwnsAnyOf(member, sockets)) return true;
  }
  return false;
}

std::vector<pid_t> ProcessGroupMembers(pid_t pgid) {
  std::vector<pid_t> members;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return members;
  while (dirent* entry = readdir(dir)) {
    pid_t pid = 0;
    const std::string_view name = entry->d_name;
    if (std::from_chars(name.data(), name.data() + name.size(), pid).ec != std::errc() ||
        pid <= 0) {
      continue;
    }
    std::ifstream stat("/proc/" + std::string(name) + "/stat");
    std::string content;
    if (!std::getline(stat, content)) continue;
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const size_t paren = content.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(content.substr(paren + 1));
    std::string state;
    pid_t ppid = 0, pgrp = 0;
    if (rest >> state >> ppid >> pgrp && pgrp == pgid) members.push_back(pid);
  }
  closedir(dir);
  return members;
}

Result<uint64_t> ResidentBytes(pid_t pid) {
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    return Error{"cannot read /proc/" + std::to_string(pid) + "/statm"};
  }
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace conformance::server
