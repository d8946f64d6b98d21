#include "harness/report/transcript_files.h"

#include <filesystem>

#include <fmt/format.h>

#include "harness/report/case_text.h"
#include "harness/report/file_output.h"

namespace conformance::report {
namespace {

// Keeps the name (plus hash and ".txt") under the 255-byte limit of common file systems.
constexpr size_t kMaxStemLength = 180;

bool IsFileNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '=' || c == '-';
}

// FNV-1a: stable across runs and platforms, which std::hash does not promise.
uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string TranscriptFileName(std::string_view id) {
  std::string stem;
  for (char c : id.substr(0, kMaxStemLength)) stem.push_back(IsFileNameChar(c) ? c : '_');
  if (stem.empty()) stem = "case";
  if (stem.front() == '.') stem.front() = '_';
  if (stem != id) stem += fmt::format("-{:08x}", Fnv1a(id));
  return stem + ".txt";
}

Status AttachTranscript(const std::string& dir, scenario::CaseResult& result) {
  auto path = WriteTranscript(dir, result);
  if (!path.ok()) return path.error();
  result.transcript_path = *path;
  if (!result.explanation.empty()) result.explanation += "  full transcript: " + *path + "\n";
  return OkStatus();
}

Result<std::string> WriteTranscript(const std::string& dir, const scenario::CaseResult& result) {
  const std::string path =
      (std::filesystem::path(dir.empty() ? "." : dir) / TranscriptFileName(result.id)).string();
  CONFORMANCE_RETURN_IF_ERROR(WriteFileAtomically(path, RenderCaseText(result)));
  return path;
}

}  // namespace conformance::report
