#include "harness/server/find_binary.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <filesystem>

namespace conformance::server {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> FindBinary(const std::string& binary) {
  if (binary.empty()) return Error{"no server binary given"};
  if (binary.find('/') != std::string::npos) {
    // Absolute: the server starts in a directory of its own.
    if (IsExecutableFile(binary)) return std::filesystem::absolute(binary).lexically_normal().string();
    return Error{fmt::format("server binary '{}' does not exist or is not an executable file",
                             binary)};
  }
  const char* path_env = std::getenv("PATH");
  const std::string_view path = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string_view::npos) end = path.size();
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on chained operator+.
    std::string candidate(end > start ? path.substr(start, end - start) : ".");
    candidate.append("/").append(binary);
    if (IsExecutableFile(candidate)) return candidate;
    start = end + 1;
  }
  return Error{fmt::format("server binary '{}' not found in PATH ({})", binary, path)};
}

}  // namespace conformance::server
