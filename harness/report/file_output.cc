#include "harness/report/file_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace conformance::report {
namespace {

Error FileError(std::string_view what, const std::string& path, int error_number) {
  return Error{.message = fmt::format("cannot {} {}: {}", what, path, std::strerror(error_number))};
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);  // succeeds when another writer made it first
    if (ec) {
      return Error{
          .message = fmt::format("cannot create directory {}: {}", parent.string(), ec.message())};
    }
  }

  // The thread id (unique system-wide) keeps two writers of the same file, in this process or
  // another, from sharing a temporary file.
  const std::string temporary = fmt::format("{}.tmp.{}", path, ::gettid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return FileError("create", temporary, errno);
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const int write_errno = errno;
  if (std::fclose(file) != 0 || !written) {
    const int error_number = written ? errno : write_errno;
    std::remove(temporary.c_str());
    return FileError("write", temporary, error_number);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    std::remove(temporary.c_str());
    return FileError("rename into", path, error_number);
  }
  return OkStatus();
}

}  // namespace conformance::report
