#include "harness/server/temp_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace conformance::server {
namespace {

bool IsDotOrDotDot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// Removes `name` under the directory `parent` (a file, or a directory with all in it).
bool RemoveAt(int parent, const char* name, int depth) {
  if (unlinkat(parent, name, 0) == 0 || errno == ENOENT) return true;
  // Linux says EISDIR for a directory (POSIX allows EPERM).
  if ((errno != EISDIR && errno != EPERM) || depth == 0) return false;
  const int dir = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0) return errno == ENOENT;
  // Reading a directory while removing from it may skip entries: read it again until empty.
  bool removed = false;
  for (int pass = 0; pass < 4 && !removed; ++pass) {
    lseek(dir, 0, SEEK_SET);
    alignas(dirent64) char buffer[2048];
    ssize_t got;
    while ((got = getdents64(dir, buffer, sizeof(buffer))) > 0) {
      for (ssize_t at = 0; at < got;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
        if (!IsDotOrDotDot(entry->d_name)) RemoveAt(dir, entry->d_name, depth - 1);
        at += entry->d_reclen;
      }
    }
    removed = unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
  }
  close(dir);
  return removed;
}

}  // namespace

Result<std::string> MakeTempDir() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string pattern = base + "/conformance-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return Error{fmt::format("cannot create a temp dir {}: {}", pattern, std::strerror(errno))};
  }
  return std::string(buffer.data());
}

void RemoveTree(const std::string& path) {
  if (path.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

bool RemoveTreeSignalSafe(const char* path) {
  if (path == nullptr || path[0] == '\0') return true;
  const int saved_errno = errno;
  const bool removed = RemoveAt(AT_FDCWD, path, kMaxTreeDepth);
  errno = saved_errno;
  return removed;
}

}  // namespace conformance::server
